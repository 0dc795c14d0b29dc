/**
 * How far each prompt token moved in training: its cosine to the vector it started from, and its
 * norm, at each snapshot. A token still at cosine ≈ 1 to a label-word start is that word; one whose
 * cosine fell towards 0 is somewhere its nearest neighbours do not describe.
 */
import { cosine, norm, row, type Rows } from './rows';

export interface DriftPoint {
  step: number;
  /** Per prompt token: cosine to its initial vector. */
  cosine: number[];
  /** Per prompt token: its norm. */
  norm: number[];
}

export interface PromptDrift {
  /** Per prompt token: the initial vector's norm. */
  initialNorm: number[];
  points: DriftPoint[];
}

/** One snapshot against the initial prompt (both row-major [P, width]). */
export function driftPoint(initial: Rows, current: Rows, width: number, step: number): DriftPoint {
  if (initial.length !== current.length) throw new Error(`the initial prompt has ${initial.length / width} tokens but this one has ${current.length / width}`);
  const tokens = current.length / width;
  const cos: number[] = [];
  const norms: number[] = [];
  for (let i = 0; i < tokens; i++) {
    const c = row(current, width, i);
    cos.push(cosine(row(initial, width, i), c));
    norms.push(norm(c));
  }
  return { step, cosine: cos, norm: norms };
}

/** Every snapshot (in step order) against the initial prompt. */
export function promptDrift(initial: Rows, snapshots: Array<{ step: number; values: Rows }>, width: number): PromptDrift {
  const tokens = initial.length / width;
  return {
    initialNorm: Array.from({ length: tokens }, (_, i) => norm(row(initial, width, i))),
    points: [...snapshots].sort((a, b) => a.step - b.step).map((s) => driftPoint(initial, s.values, width, s.step)),
  };
}
