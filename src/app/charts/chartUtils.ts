/**
 * DOM-free helpers for the charts: smoothing, decimation, token display and label matching.
 * Kept apart from the components so they can be tested in Node.
 */
import type { ScaleLinear } from 'd3';

/** The pixel frame every chart model carries: outer size, plot area, and its x/y scales. */
export interface PlotFrame<Y = ScaleLinear<number, number>> {
  width: number;
  height: number;
  innerWidth: number;
  innerHeight: number;
  x: ScaleLinear<number, number>;
  y: Y;
}

/**
 * TensorBoard's exponential moving average with bias correction (debiasing as in Adam), so the
 * first smoothed values are not pulled towards 0. Non-finite values pass through unchanged and do
 * not update the average.
 */
export function smoothEma(values: readonly number[], weight = 0.9): number[] {
  const out = new Array<number>(values.length);
  let last = 0;
  // weight^count, kept as a running product.
  let power = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    power *= weight;
    const debias = weight === 1 ? 1 : 1 - power;
    out[i] = last / debias;
  }
  return out;
}

/**
 * Indices of the points worth drawing when there are many more points than pixels: for each pixel
 * column the first, lowest, highest and last point, in their original order. The shape of the
 * line (including spikes) is kept while the path stays a few thousand segments long.
 * `px(i)` is the horizontal pixel position of point i (non-decreasing), `y(i)` its value.
 */
export function minMaxDecimate(n: number, px: (i: number) => number, y: (i: number) => number, pixels: number): number[] {
  if (n <= Math.max(4, pixels * 4)) return Array.from({ length: n }, (_, i) => i);
  const keep: number[] = [];
  let bucket = Number.NaN;
  let first = 0;
  let lo = 0;
  let hi = 0;
  let lastIdx = 0;
  const flush = () => {
    const picks = [first, lo, hi, lastIdx].sort((a, b) => a - b);
    let prev = -1;
    for (const p of picks) {
      if (p !== prev) keep.push(p);
      prev = p;
    }
  };
  for (let i = 0; i < n; i++) {
    const b = Math.floor(px(i));
    const v = y(i);
    if (b !== bucket) {
      if (i > 0) flush();
      bucket = b;
      first = lo = hi = lastIdx = i;
      continue;
    }
    lastIdx = i;
    if (Number.isFinite(v)) {
      const vlo = y(lo);
      const vhi = y(hi);
      if (!Number.isFinite(vlo) || v < vlo) lo = i;
      if (!Number.isFinite(vhi) || v > vhi) hi = i;
    } else {
      // Keep gaps (NaN) visible: a non-finite point breaks the line.
      if (Number.isFinite(y(lo))) lo = i;
    }
  }
  if (n > 0) flush();
  return keep;
}

/** SentencePiece's word-boundary marker. */
export const SP_SPACE = '\u2581';

/**
 * How a vocabulary token is shown: a leading "▁" becomes a visible marker (`lead`) and the rest is
 * the text; special tokens (`<pad>`, `</s>`, `<extra_id_0>`) are shown as they are.
 */
export function displayToken(token: string): { lead: string; text: string } {
  if (token.startsWith(SP_SPACE)) return { lead: '·', text: token.slice(SP_SPACE.length).replaceAll(SP_SPACE, ' ') };
  return { lead: '', text: token.replaceAll(SP_SPACE, ' ') };
}

/** The comparable form of a token or a label word: without "▁", trimmed, lower case. */
export function normaliseWord(word: string): string {
  return word.replaceAll(SP_SPACE, ' ').trim().toLowerCase();
}

/** A matcher for tokens that spell one of the label words (case-insensitive, "▁" ignored). */
export function labelWordMatcher(labelWords: readonly string[]): (token: string) => boolean {
  const set = new Set(labelWords.map(normaliseWord).filter((w) => w.length > 0));
  return (token) => set.size > 0 && set.has(normaliseWord(token));
}

/** Truncates `text` to at most `max` characters, ending in "…" when shortened. */
export function truncate(text: string, max: number): string {
  if (max <= 1) return text.length > max ? '…' : text;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Recall of each row of a confusion matrix ([true][predicted]); NaN for a row with no examples. */
export function rowRecalls(matrix: readonly (readonly number[])[]): number[] {
  return matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total > 0 ? (row[i] ?? 0) / total : Number.NaN;
  });
}

/** The index in sorted `steps` nearest to `step` (-1 when empty). */
export function nearestIndex(steps: ArrayLike<number>, step: number): number {
  if (steps.length === 0) return -1;
  let lo = 0;
  let hi = steps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! < step) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(steps[lo - 1]! - step) <= Math.abs(steps[lo]! - step)) return lo - 1;
  return lo;
}
