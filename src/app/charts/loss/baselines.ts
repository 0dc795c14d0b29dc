/**
 * Reference accuracies drawn across the loss chart's accuracy axis: dashed horizontal lines with
 * a label, e.g. the majority-class baseline a trained prompt has to beat. Pure: positions only.
 */
import type { ScaleLinear } from 'd3';
import { fmtAcc } from './lossFormat';

/** One reference accuracy: `value` in [0, 1] like validation accuracy, `label` says what it is. */
export interface ChartBaseline {
  label: string;
  value: number;
}

export interface BaselineGeometry {
  key: string;
  label: string;
  value: number;
  /** The line's height in plot pixels (on the accuracy scale). */
  y: number;
  /** Where the label's baseline sits: above the line, pushed apart from the other labels. */
  labelY: number;
}

/** Labels closer than this (in pixels) would overlap; later ones are pushed up. */
export const LABEL_GAP = 12;

/** The baselines that can be drawn (a finite value), in the order given. */
export function drawableBaselines(baselines: readonly ChartBaseline[]): ChartBaseline[] {
  return baselines.filter((b) => Number.isFinite(b.value));
}

/** The accuracy axis: 0 to 1, widened to take in any baseline outside it. */
export function accuracyDomain(baselines: readonly ChartBaseline[]): [number, number] {
  const values = drawableBaselines(baselines).map((b) => b.value);
  return [Math.min(0, ...values), Math.max(1, ...values)];
}

/**
 * Each baseline's line and label position. Labels sit 3 px above their line; when two lines are
 * close, the higher label moves up so that they stay LABEL_GAP apart.
 */
export function placeBaselines(baselines: readonly ChartBaseline[], acc: ScaleLinear<number, number>): BaselineGeometry[] {
  const placed = drawableBaselines(baselines).map((b, i) => ({ key: `${i}:${b.label}`, label: b.label, value: b.value, y: acc(b.value), labelY: acc(b.value) - 3 }));
  // From the bottom of the plot up (largest pixel y first), each label at least LABEL_GAP above the previous.
  const order = [...placed].sort((a, b) => b.y - a.y);
  for (let i = 1; i < order.length; i++) {
    const below = order[i - 1]!;
    const here = order[i]!;
    if (below.labelY - here.labelY < LABEL_GAP) here.labelY = below.labelY - LABEL_GAP;
  }
  return placed;
}

/** "majority class ‘spam’: 80.0%": a baseline in words, for the read-out, the key and screen readers. */
export function describeBaseline(b: ChartBaseline): string {
  return `${b.label}: ${fmtAcc(b.value)}`;
}
