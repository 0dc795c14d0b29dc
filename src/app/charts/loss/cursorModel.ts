/**
 * The hover/keyboard cursor of the loss chart as pure functions: which step a pointer or a key
 * lands on, what the read-out shows there and where its markers and tooltip go. useChartCursor.ts
 * holds the state; this file decides.
 */
import { nearestIndex } from '../chartUtils';
import { MARGIN, usable, type LossChartModel, type PreparedSeries, type ValPoint } from './lossChartModel';

/** Every step with data in any series, sorted and without repeats: where the cursor may stop. */
export function collectSteps(prepared: PreparedSeries[]): Float64Array {
  const set = new Set<number>();
  for (const s of prepared) {
    for (const st of s.trainSteps) set.add(st);
    for (const st of s.valSteps) set.add(st);
  }
  // A typed array sorts numerically (an Array would sort as strings).
  return Float64Array.from(set).sort();
}

/** The step with data nearest to a pointer at plot pixel `px` (null without data). */
export function stepAtPixel(model: LossChartModel, steps: Float64Array, px: number): number | null {
  const i = nearestIndex(steps, model.x.invert(px));
  return i < 0 ? null : steps[i]!;
}

/** Where the keyboard cursor starts on focus: the latest step. */
export function initialStep(steps: Float64Array): number | null {
  return steps.length ? steps[steps.length - 1]! : null;
}

/**
 * The cursor after `key`: `{ step }` for a move (clamped to the data), `{ step: null }` for Escape
 * (hide it), null for a key the chart leaves alone. Without a cursor yet, moves start from the end.
 */
export function stepAfterKey(steps: Float64Array, current: number | null, key: string): { step: number | null } | null {
  if (steps.length === 0) return null;
  const last = steps.length - 1;
  const from = current === null ? last : nearestIndex(steps, current);
  // Page keys jump a tenth of the run, so any run is crossed in about ten presses.
  const page = Math.max(1, Math.round(steps.length / 10));
  let next: number;
  switch (key) {
    case 'ArrowLeft':
      next = from - 1;
      break;
    case 'ArrowRight':
      next = from + 1;
      break;
    case 'PageDown':
      next = from - page;
      break;
    case 'PageUp':
      next = from + page;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = last;
      break;
    case 'Escape':
      return { step: null };
    default:
      return null;
  }
  return { step: steps[Math.min(last, Math.max(0, next))]! };
}

export interface ReadoutRow {
  key: string;
  name: string;
  color: string;
  raw?: number;
  smoothed?: number;
  trainStep?: number;
  val?: ValPoint;
}

/** Each series' values at the training and validation steps nearest to `step` (they may differ). */
export function readoutAt(prepared: PreparedSeries[], step: number): ReadoutRow[] {
  return prepared.map((s) => {
    const row: ReadoutRow = { key: s.key, name: s.name, color: s.color };
    const ti = nearestIndex(s.trainSteps, step);
    if (ti >= 0) {
      row.trainStep = s.trainSteps[ti];
      row.raw = s.train[ti]!.loss;
      row.smoothed = s.smoothed[ti];
    }
    const vi = nearestIndex(s.valSteps, step);
    if (vi >= 0) row.val = s.validation[vi];
    return row;
  });
}

export interface FocusMarker {
  key: string;
  color: string;
  x: number;
  y: number;
}

/** A marker on each smoothed line at the read-out's training step, where that value can be drawn. */
export function focusMarkers(model: LossChartModel, rows: ReadoutRow[]): FocusMarker[] {
  return rows
    .filter((r) => r.trainStep !== undefined && r.smoothed !== undefined && usable(r.smoothed, model.log))
    .map((r) => ({ key: r.key, color: r.color, x: model.x(r.trainStep!), y: model.y(r.smoothed!) }));
}

/** The tooltip sits beside the cursor, on the side with more room, so it never covers the cursor. */
export function tooltipPosition(model: LossChartModel, step: number): { left?: number; right?: number; top: number } {
  const px = MARGIN.left + model.x(step);
  return px < model.width / 2 ? { left: px + 12, top: MARGIN.top + 4 } : { right: model.width - px + 12, top: MARGIN.top + 4 };
}
