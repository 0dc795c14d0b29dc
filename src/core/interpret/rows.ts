/**
 * Arithmetic on small row-major [rows, width] matrices read back from the backend (prompts are
 * P × d, a few hundred kilobytes): plain loops in float64, so the numbers shown to a person do not
 * depend on the backend's float32 reductions.
 */

export type Rows = ArrayLike<number>;

/** Row `i` of a row-major matrix as a view (no copy for typed arrays). */
export function row(values: Rows, width: number, i: number): ArrayLike<number> {
  if (values instanceof Float32Array || values instanceof Float64Array) return values.subarray(i * width, (i + 1) * width);
  return Array.prototype.slice.call(values, i * width, (i + 1) * width) as number[];
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Cosine similarity; 0 when either vector is zero (instead of NaN). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = norm(a) * norm(b);
  return n > 0 ? dot(a, b) / n : 0;
}

/** The Euclidean norm of each row. */
export function rowNorms(values: Rows, width: number): number[] {
  return Array.from({ length: values.length / width }, (_, i) => norm(row(values, width, i)));
}

/** The mean of the rows: [width]. */
export function meanRow(values: Rows, width: number): Float64Array {
  const n = values.length / width;
  const out = new Float64Array(width);
  for (let i = 0; i < n; i++) for (let j = 0; j < width; j++) out[j]! += values[i * width + j]! / n;
  return out;
}
