/** The vocabulary's PCA map: a matrix with known principal axes, and the fixture's embeddings against float64. */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddingPca, projectRows } from '../../../src/core/interpret/pca';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { fixtureSource, testBackend } from '../../helpers/fixtures';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i]!, 0);

describe('embeddingPca on a known matrix', () => {
  // Rows = m + a_i u + b_i w with u ⊥ w unit vectors in R^5, a = ±3 and b = ±1 in orthogonal,
  // zero-mean patterns: the axes are u (variance 72/7) and w (8/7), explaining 90% and 10%.
  const u = [1, 2, 0, -2, 0].map((x) => x / 3);
  const w = [0, 0, 3, 0, 4].map((x) => x / 5);
  const m = [0.5, -1, 2, 0.25, 3];
  const a = [3, -3, 3, -3, 3, -3, 3, -3];
  const b = [1, 1, -1, -1, 1, 1, -1, -1];
  const rows = a.map((ai, i) => m.map((mj, j) => mj + ai * u[j]! + b[i]! * w[j]!));

  it('finds the axes, their variances and shares, the mean, and projects rows onto (a_i, b_i)', async () => {
    const table = tf.tensor2d(rows);
    const before = tf.memory().numTensors;
    const basis = await embeddingPca(table);
    expect(tf.memory().numTensors).toBe(before);
    table.dispose();
    Array.from(basis.mean).forEach((x, j) => expect(x).toBeCloseTo(m[j]!, 5));
    expect(basis.variances[0]).toBeCloseTo(72 / 7, 4);
    expect(basis.variances[1]).toBeCloseTo(8 / 7, 4);
    expect(basis.explained[0]).toBeCloseTo(0.9, 5);
    expect(basis.explained[1]).toBeCloseTo(0.1, 5);
    // Sign convention: the largest-magnitude entry is positive, so u → -u? u's largest is 2/3 at index 1 (and -2/3 at 3: the first wins).
    expect(Math.abs(dot(basis.components[0]!, u))).toBeCloseTo(1, 5);
    expect(Math.abs(dot(basis.components[1]!, w))).toBeCloseTo(1, 5);
    const su = Math.sign(dot(basis.components[0]!, u));
    const sw = Math.sign(dot(basis.components[1]!, w));
    expect(sw).toBe(1); // w's largest entry (4/5) is positive
    projectRows(rows.flat(), basis).forEach(([x, y], i) => {
      expect(x).toBeCloseTo(su * a[i]!, 4);
      expect(y).toBeCloseTo(sw * b[i]!, 4);
    });
  });
});

describe('embeddingPca of the fixture vocabulary (512 × 64) against float64', () => {
  let loaded: LoadedT5;
  let table: number[][];
  beforeAll(async () => {
    loaded = await loadT5(await fixtureSource('t5-tiny-gated'));
    table = loaded.model.weights.shared.arraySync();
  });
  afterAll(() => loaded?.model.dispose());

  /** Independent reference: float64 covariance, top two by power iteration with deflation. */
  function reference() {
    const n = table.length;
    const d = table[0]!.length;
    const mean = Array.from({ length: d }, (_, j) => table.reduce((s, r) => s + r[j]!, 0) / n);
    const cov = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => table.reduce((s, r) => s + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / (n - 1)));
    const trace = cov.reduce((s, r, i) => s + r[i]!, 0);
    const axes: number[][] = [];
    const values: number[] = [];
    for (let c = 0; c < 2; c++) {
      let v = Array.from({ length: d }, (_, i) => Math.cos(i + c));
      v = v.map((x) => x / Math.sqrt(dot(v, v)));
      let lambda = 0;
      for (let it = 0; it < 20000; it++) {
        let next = cov.map((r) => dot(r, v));
        for (const a of axes) next = next.map((x, i) => x - values[axes.indexOf(a)]! * dot(a, v) * a[i]!);
        const len = Math.sqrt(dot(next, next));
        lambda = len;
        next = next.map((x) => x / len);
        const change = 1 - Math.abs(dot(next, v));
        v = next;
        if (change < 1e-15) break;
      }
      axes.push(v);
      values.push(lambda);
    }
    return { mean, axes, values, explained: values.map((x) => x / trace) };
  }

  it(`matches to 1e-4 on ${testBackend}`, async () => {
    const ref = reference();
    const basis = await embeddingPca(loaded.model.weights.shared);
    const axisError = basis.components.map((c, i) => 1 - Math.abs(dot(c, ref.axes[i]!)));
    const explainedError = basis.explained.map((e, i) => Math.abs(e - ref.explained[i]!) / ref.explained[i]!);
    console.log(`fixture PCA on ${testBackend}: explained ${basis.explained.map((e) => e.toFixed(4)).join(', ')}; 1 − |cos| to the float64 axes ${axisError.map((e) => e.toExponential(1)).join(', ')}; explained rel. error ${explainedError.map((e) => e.toExponential(1)).join(', ')}`);
    axisError.forEach((e) => expect(e).toBeLessThan(1e-4));
    explainedError.forEach((e) => expect(e).toBeLessThan(1e-4));
    const meanError = Math.max(...Array.from(basis.mean).map((x, j) => Math.abs(x - ref.mean[j]!)));
    expect(meanError).toBeLessThan(1e-5);
  });
});
