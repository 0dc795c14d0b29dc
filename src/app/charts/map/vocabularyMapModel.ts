/**
 * The vocabulary map as data (DOM-free, tested in Node): the sampled vocabulary cloud, the label
 * words and the prompt tokens on the vocabulary's fixed PCA axes, in pixels, with each token's path
 * through the snapshots up to the one shown. The scales cover every snapshot, so the axes stay put
 * while the slider moves the prompt.
 */
import { extent, scaleLinear, type ScaleLinear } from 'd3';
import { labelWordMatcher, type PlotFrame } from '../chartUtils';

export interface MapData {
  explained: number[];
  /** Sampled vocabulary points: [id, x, y]. */
  vocabulary: Array<[number, number, number]>;
  /** Display token of each vocabulary point. */
  tokens: string[];
  labels: Array<{ text: string; x: number; y: number }>;
}

/** Prompt token positions at one snapshot. */
export interface PromptFrame {
  step: number;
  points: Array<[number, number]>;
}

export interface VocabDot {
  id: number;
  token: string;
  px: number;
  py: number;
  /** The token spells a label word. */
  isLabel: boolean;
}

export interface PromptDot {
  /** 0-based prompt position. */
  index: number;
  px: number;
  py: number;
  /** Pixel path from the first snapshot to the one shown. */
  trail: Array<[number, number]>;
}

export interface VocabularyMapModel extends PlotFrame {
  vocab: VocabDot[];
  labels: Array<{ text: string; px: number; py: number }>;
  prompt: PromptDot[];
  step: number | undefined;
  axisTitles: [string, string];
  summary: string;
}

export const MAP_MARGIN = { top: 12, right: 16, bottom: 40, left: 48 };

const pct = (x: number | undefined) => `${(100 * (x ?? 0)).toFixed(1)}%`;

export function buildVocabularyMapModel(data: MapData, frames: PromptFrame[], current: number, width: number, height: number): VocabularyMapModel {
  const innerWidth = Math.max(10, width - MAP_MARGIN.left - MAP_MARGIN.right);
  const innerHeight = Math.max(10, height - MAP_MARGIN.top - MAP_MARGIN.bottom);
  const xs = [...data.vocabulary.map((p) => p[1]), ...data.labels.map((l) => l.x), ...frames.flatMap((f) => f.points.map((p) => p[0]))];
  const ys = [...data.vocabulary.map((p) => p[2]), ...data.labels.map((l) => l.y), ...frames.flatMap((f) => f.points.map((p) => p[1]))];
  const pad = (e: [number, number] | [undefined, undefined]): [number, number] => {
    const [lo, hi] = e[0] === undefined ? [-1, 1] : (e as [number, number]);
    const span = hi - lo || 1;
    return [lo - 0.05 * span, hi + 0.05 * span];
  };
  const x = scaleLinear().domain(pad(extent(xs))).range([0, innerWidth]);
  const y = scaleLinear().domain(pad(extent(ys))).range([innerHeight, 0]);
  const isLabel = labelWordMatcher(data.labels.map((l) => l.text));
  const shown = frames.slice(0, Math.max(0, Math.min(current, frames.length - 1)) + 1);
  const last = shown[shown.length - 1];
  const prompt = (last?.points ?? []).map(([px, py], index) => ({
    index,
    px: x(px),
    py: y(py),
    trail: shown.flatMap((f) => (f.points[index] ? [[x(f.points[index]![0]), y(f.points[index]![1])] as [number, number]] : [])),
  }));
  const tokens = last?.points.length ?? 0;
  return {
    width,
    height,
    innerWidth,
    innerHeight,
    x,
    y,
    vocab: data.vocabulary.map(([id, vx, vy], i) => ({ id, token: data.tokens[i] ?? `[${id}]`, px: x(vx), py: y(vy), isLabel: isLabel(data.tokens[i] ?? '') })),
    labels: data.labels.map((l) => ({ text: l.text, px: x(l.x), py: y(l.y) })),
    prompt,
    step: last?.step,
    axisTitles: [`PC1 (${pct(data.explained[0])} of the vocabulary's variance)`, `PC2 (${pct(data.explained[1])})`],
    summary:
      `Map of ${data.vocabulary.length} vocabulary tokens on the first two principal components of the embedding table` +
      (tokens ? `, with the ${tokens} prompt tokens at step ${last!.step}` : '') +
      (data.labels.length ? ` and the label words ${data.labels.map((l) => l.text).join(', ')}` : '') +
      '. The table below lists the same positions.',
  };
}

export interface MapTableRow {
  name: string;
  kind: 'prompt' | 'label';
  x: number;
  y: number;
  /** For a prompt token: the label word nearest to it on the map, and that distance. */
  nearestLabel?: { text: string; distance: number };
}

/** The accessible fallback: every prompt token and label word with its coordinates, in data units. */
export function mapTableRows(data: MapData, frame: PromptFrame | undefined): MapTableRow[] {
  const nearest = (x: number, y: number) =>
    data.labels.reduce<MapTableRow['nearestLabel']>((best, l) => {
      const distance = Math.hypot(l.x - x, l.y - y);
      return !best || distance < best.distance ? { text: l.text, distance } : best;
    }, undefined);
  return [
    ...(frame?.points ?? []).map(([x, y], i) => ({ name: `P${i + 1}`, kind: 'prompt' as const, x, y, nearestLabel: nearest(x, y) })),
    ...data.labels.map((l) => ({ name: l.text, kind: 'label' as const, x: l.x, y: l.y })),
  ];
}
