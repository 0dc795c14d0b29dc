/** The eigen-solver behind the PCA map, against matrices whose eigenpairs are known by construction. */
import { describe, expect, it } from 'vitest';
import { symmetricEigen, topEigen } from '../../../src/core/interpret/symmetricEigen';
import { seededRandom } from '../../../src/core/random';

/** |cos| between two vectors: eigenvectors are defined up to sign. */
function alignment(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return Math.abs(d) / Math.sqrt(na * nb);
}

/** Q diag(values) Qᵀ with Q = I − 2hhᵀ (a Householder reflection, orthogonal): eigenvectors are Q's columns. */
function knownMatrix(values: number[], seed: number): { m: Float64Array; vectors: number[][] } {
  const n = values.length;
  const random = seededRandom(seed);
  const h = Array.from({ length: n }, () => random() - 0.5);
  const len = Math.sqrt(h.reduce((s, x) => s + x * x, 0));
  const u = h.map((x) => x / len);
  const q = (i: number, j: number) => (i === j ? 1 : 0) - 2 * u[i]! * u[j]!;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) m[i * n + j]! += q(i, k) * values[k]! * q(j, k);
  return { m, vectors: values.map((_, k) => Array.from({ length: n }, (_, i) => q(i, k))) };
}

describe('symmetricEigen', () => {
  it('diagonalises a small matrix with known eigenpairs', () => {
    // [[2,1,0],[1,2,0],[0,0,5]]: 5 along e3, 3 along (1,1,0)/√2, 1 along (1,-1,0)/√2.
    const e = symmetricEigen([2, 1, 0, 1, 2, 0, 0, 0, 5], 3);
    expect(e.values.map((v) => +v.toFixed(12))).toEqual([5, 3, 1]);
    expect(alignment(e.vectors[0]!, [0, 0, 1])).toBeCloseTo(1, 12);
    expect(alignment(e.vectors[1]!, [1, 1, 0])).toBeCloseTo(1, 12);
    expect(alignment(e.vectors[2]!, [1, -1, 0])).toBeCloseTo(1, 12);
  });

  it('recovers Q diag(λ) Qᵀ for n = 40, with a repeated eigenvalue', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i === 1 ? 40.5 : 40 - i + 0.5)); // 40.5 twice
    const { m, vectors } = knownMatrix(values, 7);
    const e = symmetricEigen(m, 40);
    e.values.forEach((v, i) => expect(v).toBeCloseTo(values[i]!, 9));
    // The repeated pair's vectors are any orthonormal basis of their plane: each lies in it.
    e.vectors.slice(0, 2).forEach((v) => expect(alignment(v, vectors[0]!) ** 2 + alignment(v, vectors[1]!) ** 2).toBeCloseTo(1, 9));
    e.vectors.slice(2).forEach((v, i) => expect(alignment(v, vectors[i + 2]!)).toBeCloseTo(1, 9));
  });
});

describe('topEigen', () => {
  it('finds the top two of a 300 × 300 matrix with a slow spectrum, to 1e-9', () => {
    // λ2/λ3 = 0.98: power iteration would need thousands of steps; QL does not care.
    const values = Array.from({ length: 300 }, (_, i) => (i === 0 ? 10 : 5 * 0.98 ** (i - 1)));
    const { m, vectors } = knownMatrix(values, 3);
    const e = topEigen(m, 300, 2);
    expect(e.values[0]).toBeCloseTo(10, 8);
    expect(e.values[1]).toBeCloseTo(5, 8);
    expect(1 - alignment(e.vectors[0]!, vectors[0]!)).toBeLessThan(1e-9);
    expect(1 - alignment(e.vectors[1]!, vectors[1]!)).toBeLessThan(1e-9);
  });

  it('agrees with the full decomposition on a random covariance, and handles a rank-deficient one', () => {
    const random = seededRandom(11);
    const n = 80;
    const x = Array.from({ length: 30 }, () => Array.from({ length: n }, () => random() - 0.5)); // rank 30 < n
    const m = new Float64Array(n * n);
    for (const r of x) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j]! += r[i]! * r[j]!;
    const reference = symmetricEigen(m, n);
    const e = topEigen(m, n, 3);
    e.values.forEach((v, i) => expect(v).toBeCloseTo(reference.values[i]!, 8));
    e.vectors.forEach((v, i) => expect(1 - alignment(v, reference.vectors[i]!)).toBeLessThan(1e-9));
    expect(topEigen(new Float64Array(n * n), n, 2).values).toEqual([0, 0]);
  });
});
