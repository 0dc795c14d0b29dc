/**
 * The drift view as data (DOM-free, tested in Node): two heat maps side by side, prompt tokens
 * down and snapshots across, one coloured by each token's cosine to its initial vector, the other
 * by its norm. Columns are as wide as the panel allows; the snapshot the slider shows is marked.
 */
import { interpolateMagma, interpolateViridis, scaleSequential } from 'd3';

export interface DriftSnapshot {
  step: number;
  /** Per token: cosine to its initial vector (absent when the start is unknown). */
  cosine?: number[];
  /** Per token: norm. */
  norms?: number[];
}

export interface DriftCell {
  token: number;
  column: number;
  step: number;
  value: number;
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
}

export interface DriftPanel {
  key: 'cosine' | 'norm';
  title: string;
  x0: number;
  cells: DriftCell[];
  domain: [number, number];
  /** Colours of the legend's ramp, low to high. */
  ramp: string[];
}

export interface DriftHeatmapModel {
  width: number;
  height: number;
  tokens: number;
  columns: number;
  panelWidth: number;
  cellHeight: number;
  top: number;
  left: number;
  panels: DriftPanel[];
  /** The marked column (the slider's snapshot). */
  current: number;
  /** The first and last snapshots' steps, under each panel. */
  stepRange: [number, number];
  summary: string;
}

const LEFT = 36;
const TOP = 18;
const GAP = 24;

function panel(key: DriftPanel['key'], title: string, values: Array<number[] | undefined>, steps: number[], x0: number, panelWidth: number, cellHeight: number, domain: [number, number], interpolate: (t: number) => string): DriftPanel {
  const colour = scaleSequential(interpolate).domain(domain);
  const w = panelWidth / Math.max(1, values.length);
  const cells: DriftCell[] = [];
  values.forEach((column, c) =>
    column?.forEach((value, token) => {
      if (Number.isFinite(value)) cells.push({ token, column: c, step: steps[c]!, value, x: x0 + c * w, y: TOP + token * cellHeight, w, h: cellHeight, fill: colour(value) });
    }),
  );
  return { key, title, x0, cells, domain, ramp: [0, 0.25, 0.5, 0.75, 1].map((t) => colour(domain[0] + t * (domain[1] - domain[0]))) };
}

export function buildDriftModel(snapshots: DriftSnapshot[], current: number, width: number): DriftHeatmapModel | undefined {
  const tokens = Math.max(0, ...snapshots.map((s) => s.norms?.length ?? s.cosine?.length ?? 0));
  if (snapshots.length === 0 || tokens === 0) return undefined;
  const steps = snapshots.map((s) => s.step);
  const cellHeight = Math.max(3, Math.min(14, Math.floor(320 / tokens)));
  const panelWidth = Math.max(40, (width - LEFT - GAP) / 2);
  const cosines = snapshots.flatMap((s) => s.cosine ?? []);
  const norms = snapshots.flatMap((s) => s.norms ?? []);
  const panels: DriftPanel[] = [];
  if (cosines.length) {
    panels.push(panel('cosine', 'cosine to its initial vector', snapshots.map((s) => s.cosine), steps, LEFT, panelWidth, cellHeight, [Math.min(0, ...cosines), 1], interpolateViridis));
  }
  panels.push(panel('norm', 'norm', snapshots.map((s) => s.norms), steps, cosines.length ? LEFT + panelWidth + GAP : LEFT, panelWidth, cellHeight, [0, Math.max(...norms, 1e-9)], interpolateMagma));
  const at = Math.max(0, Math.min(current, snapshots.length - 1));
  return {
    width,
    height: TOP + tokens * cellHeight + 18,
    tokens,
    columns: snapshots.length,
    panelWidth,
    cellHeight,
    top: TOP,
    left: LEFT,
    panels,
    current: at,
    stepRange: [steps[0]!, steps[steps.length - 1]!],
    summary:
      `Heat map of ${tokens} prompt tokens over ${snapshots.length} snapshots (steps ${steps[0]} to ${steps[steps.length - 1]}): ` +
      (cosines.length ? 'each token\'s cosine to its initial vector and its norm' : 'each token\'s norm (the initial prompt is unknown, so there is no cosine)') +
      '. The table below gives the values at the chosen snapshot.',
  };
}

/** The cell under a point, by arithmetic (the cells form a grid): for the hover read-out. */
export function cellAt(model: DriftHeatmapModel, x: number, y: number): { panel: DriftPanel; cell: DriftCell } | undefined {
  const token = Math.floor((y - model.top) / model.cellHeight);
  for (const p of model.panels) {
    if (x < p.x0 || x >= p.x0 + model.panelWidth || token < 0 || token >= model.tokens) continue;
    const column = Math.floor(((x - p.x0) / model.panelWidth) * model.columns);
    const cell = p.cells.find((c) => c.token === token && c.column === column);
    return cell ? { panel: p, cell } : undefined;
  }
  return undefined;
}
