/**
 * Eigenvalues and eigenvectors of a real symmetric matrix in float64: Householder reduction to
 * tridiagonal form, then the implicit QL algorithm (tred2 / tql2 of EISPACK, as in JAMA, public
 * domain). O(n³) with a small constant and no convergence trouble when eigenvalues are close, which
 * is the usual case for a vocabulary's covariance (power iteration on a 512 × 512 covariance of
 * near-isotropic embeddings took over a minute; this takes under a second).
 *
 * JAMA indexes V[row][column] and walks columns in its inner loops; here V is stored transposed
 * (V[i][j] at j · n + i), so those loops run along contiguous memory: 6× faster at n = 512.
 */

export interface EigenPairs {
  /** Descending. */
  values: number[];
  /** vectors[i]: unit eigenvector of values[i]. */
  vectors: Float64Array[];
}

/** Householder tridiagonalisation: on return v holds the accumulated transform, d the diagonal, e the off-diagonal. */
function tred2(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  const V = (i: number, j: number) => j * n + i; // stored transposed (see symmetricEigen)
  for (let j = 0; j < n; j++) d[j] = v[V(n - 1, j)]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = v[V(i - 1, j)]!;
        v[V(i, j)] = 0;
        v[V(j, i)] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[V(j, i)] = f;
        g = e[j]! + v[V(j, j)]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[V(k, j)]! * d[k]!;
          e[k]! += v[V(k, j)]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) v[V(k, j)]! -= f * e[k]! + g * d[k]!;
        d[j] = v[V(i - 1, j)]!;
        v[V(i, j)] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    v[V(n - 1, i)] = v[V(i, i)]!;
    v[V(i, i)] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[V(k, i + 1)]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[V(k, i + 1)]! * v[V(k, j)]!;
        for (let k = 0; k <= i; k++) v[V(k, j)]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[V(k, i + 1)] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[V(n - 1, j)]!;
    v[V(n - 1, j)] = 0;
  }
  v[V(n - 1, n - 1)] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), accumulating the rotations into v's columns. */
function tql2(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  const V = (i: number, j: number) => j * n + i; // stored transposed (see symmetricEigen)
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; iter < 100 && Math.abs(e[l]!) > eps * tst1; iter++) {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            h = v[V(k, i + 1)]!;
            v[V(k, i + 1)] = s * v[V(k, i)]! + c * h;
            v[V(k, i)] = c * v[V(k, i)]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      }
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

/** Every eigenpair of a symmetric n × n matrix (row-major; only its symmetric part is used), largest first. */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): EigenPairs {
  if (n === 0) return { values: [], vectors: [] };
  const v = Float64Array.from(matrix);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(v, d, e, n);
  tql2(v, d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[b]! - d[a]!);
  // Eigenvector i is column i of JAMA's V, which is row i here.
  return { values: order.map((i) => d[i]!), vectors: order.map((i) => v.slice(i * n, (i + 1) * n)) };
}

/** The k largest eigenpairs. */
export function topEigen(matrix: ArrayLike<number>, n: number, k: number): EigenPairs {
  const all = symmetricEigen(matrix, n);
  return { values: all.values.slice(0, k), vectors: all.vectors.slice(0, k) };
}
