/**
 * Error measures for parity checks. `relativeError` is normwise: max |a - b| / max |b|, so
 * entries near zero are judged against the tensor's scale rather than against themselves.
 */
export function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != expected ${expected.length}`);
  let m = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (!(d <= m)) m = d; // NaN propagates
  }
  return m;
}

export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  return maxAbsDiff(actual, expected) / (scale || 1);
}

export function scalarRelativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
