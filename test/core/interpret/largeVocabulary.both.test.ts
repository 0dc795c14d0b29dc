/**
 * A vocabulary the size of T5's (32,128 × 512): the atlas (norms + PCA), the neighbours of a
 * 100-token prompt and a 2,000-point map, each against an independent float64 computation from the
 * table's values; the atlas computed once per table; and the event loop served between the
 * covariance's chunks (counted in turns of the loop, not timed). How long these take is the
 * bench's to measure: `npm run bench -- --only=vocabulary` (bench/README.md). Skipped where the
 * app would not compute: on the pure-JS CPU backend (one 8-GFLOP product takes minutes; the app
 * uses it only when WebAssembly cannot start) and on WebGPU over a software adapter (SwiftShader:
 * 97 s for the atlas, measured; the app picks WebAssembly there). On a real GPU it runs.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nearestNeighbours } from '../../../src/core/interpret/nearestNeighbours';
import { projectIds, sampleVocabularyIds, vocabularyAtlas } from '../../../src/core/interpret/vocabularyAtlas';
import { seededRandom } from '../../../src/core/random';
import { yieldToEventLoop } from '../../../src/core/tuning/yieldToEventLoop';
import { maxAbsDiff } from '../../helpers/compare';
import { testBackend } from '../../helpers/fixtures';

const V = 32128;
const D = 512;
const P = 100;
let table: tf.Tensor2D;
beforeAll(() => {
  // Standard normal rows plus two planted directions of spread 3 and 2 (variances about 10 and 5
  // against about 1 elsewhere), so power iteration finds the reference axes in a few dozen steps.
  table = tf.tidy(() => {
    const axes = tf.tensor2d([Array.from({ length: D }, (_, j) => (j % 2 ? 1 : -1) / Math.sqrt(D)), Array.from({ length: D }, (_, j) => (j < D / 2 ? 1 : -1) / Math.sqrt(D))]);
    const spread = tf.mul(tf.randomNormal([V, 2], 0, 1, 'float32', 3), tf.tensor1d([3, 2]));
    return tf.add(tf.randomNormal([V, D], 0, 1, 'float32', 1), tf.matMul(spread, axes)) as tf.Tensor2D;
  });
});
afterAll(() => table?.dispose());

/** WebGPU on SwiftShader, Chrome's CPU emulation of a GPU (what headless test machines have). */
async function softwareGpu(): Promise<boolean> {
  if (testBackend !== 'webgpu') return false;
  const adapter = await navigator.gpu?.requestAdapter();
  return !adapter || /swiftshader/i.test(`${adapter.info.architecture} ${adapter.info.description} ${adapter.info.vendor}`);
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
};
const norm = (v: ArrayLike<number>) => Math.sqrt(dot(v, v));

/** Row r of a row-major [n, D] table dotted with v, in float64. */
function rowDot(x: Float32Array, r: number, v: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0, o = r * D; j < D; j++) s += x[o + j]! * v[j]!;
  return s;
}

/** The float64 covariance of the table's rows applied to a vector, C v = Xcᵀ (Xc v) / (V − 1), without forming C. */
function covarianceTimes(x: Float32Array, mean: Float64Array, v: ArrayLike<number>): Float64Array {
  const meanDot = dot(mean, v);
  const out = new Float64Array(D);
  for (let r = 0; r < V; r++) {
    const u = rowDot(x, r, v) - meanDot;
    for (let j = 0, o = r * D; j < D; j++) out[j] = out[j]! + u * (x[o + j]! - mean[j]!);
  }
  return out.map((s) => s / (V - 1));
}

/** The leading unit eigenvector of `apply` and its eigenvalue, by power iteration from a seeded start. */
function powerIteration(apply: (v: Float64Array) => Float64Array, iterations = 30): { vector: Float64Array; value: number } {
  const r = seededRandom(5);
  let v = Float64Array.from({ length: D }, () => r() - 0.5);
  for (let i = 0; i < iterations; i++) {
    const w = apply(v);
    const n = norm(w);
    v = w.map((x) => x / n);
  }
  return { vector: v, value: dot(apply(v), v) };
}

it(`32k × 512 on ${testBackend}: atlas, neighbours and map equal an independent float64 computation`, async (ctx) => {
  if (testBackend === 'cpu' || (await softwareGpu())) ctx.skip();
  const x = (await table.data()) as Float32Array;

  // The atlas, with a second task turning the event loop while it runs.
  let turns = 0;
  let computing = true;
  const counting = (async () => {
    while (computing) {
      await yieldToEventLoop();
      turns++;
    }
  })();
  const atlas = await vocabularyAtlas(table);
  computing = false;
  await counting;
  // Not one blocking piece: with the covariance as one product the loop would turn at most 3 times (as
  // the atlas starts, between norms and PCA, after the product); between chunks it turns more.
  expect(turns).toBeGreaterThanOrEqual(4);
  expect(await vocabularyAtlas(table)).toBe(atlas); // once per table

  // Norms: every row's length, sorted.
  const vocabNorms = Float64Array.from({ length: V }, (_, r) => norm(x.subarray(r * D, (r + 1) * D)));
  expect(maxAbsDiff(atlas.norms.sorted, vocabNorms.slice().sort())).toBeLessThan(1e-4);
  expect([atlas.norms.min, atlas.norms.max]).toEqual([atlas.norms.sorted[0], atlas.norms.sorted[V - 1]]);

  // PCA: the mean, and two orthonormal eigenvectors of the covariance with their variances and shares.
  const mean = new Float64Array(D);
  for (let r = 0; r < V; r++) for (let j = 0; j < D; j++) mean[j] = mean[j]! + x[r * D + j]! / V;
  const { basis } = atlas;
  expect(maxAbsDiff(basis.mean, mean)).toBeLessThan(1e-5);
  let trace = 0;
  for (let r = 0; r < V; r++) for (let j = 0; j < D; j++) trace += (x[r * D + j]! - mean[j]!) ** 2 / (V - 1);
  // The reference axes: power iteration on the float64 covariance, then on it with the first axis taken out.
  const C = (v: Float64Array) => covarianceTimes(x, mean, v);
  const first = powerIteration(C);
  const second = powerIteration((v) => C(v).map((c, j) => c - first.value * dot(v, first.vector) * first.vector[j]!));
  const report = [`${turns} turns of the event loop during the atlas`];
  for (const [k, ref] of [first, second].entries()) {
    const v = basis.components[k]!;
    report.push(`axis ${k + 1}: variance ${basis.variances[k]!.toFixed(4)} (reference ${ref.value.toFixed(4)}), |cos| to the reference 1 − ${(1 - Math.abs(dot(v, ref.vector))).toExponential(1)}`);
    expect(norm(v)).toBeCloseTo(1, 10);
    expect(Math.abs(dot(v, ref.vector)), `axis ${k + 1}`).toBeCloseTo(1, 6);
    expect(basis.variances[k]! / ref.value, `axis ${k + 1}`).toBeCloseTo(1, 5);
    expect(basis.explained[k]).toBeCloseTo(ref.value / trace, 5);
    // The sign convention: the largest-magnitude entry is positive.
    const largest = v.reduce((at, a, j) => (Math.abs(a) > Math.abs(v[at]!) ? j : at), 0);
    expect(v[largest]).toBeGreaterThan(0);
  }
  const [v1, v2] = basis.components as [Float64Array, Float64Array];

  // Neighbours of a 100-token prompt: each similarity is the cosine of its id, and they are the five largest.
  const prompt = tf.randomNormal([P, D], 0, 1, 'float32', 2) as tf.Tensor2D;
  const p = (await prompt.data()) as Float32Array;
  const neighbours = await nearestNeighbours(prompt, table, 5);
  prompt.dispose();
  expect(neighbours.ids).toHaveLength(P);
  let worst = 0;
  for (let i = 0; i < P; i++) {
    const row = p.subarray(i * D, (i + 1) * D);
    const rowNorm = norm(row);
    const cosines = Float64Array.from({ length: V }, (_, r) => rowDot(x, r, row) / (rowNorm * vocabNorms[r]!));
    const ofIds = neighbours.ids[i]!.map((id) => cosines[id]!);
    const top5 = Array.from(cosines).sort((a, b) => b - a).slice(0, 5);
    worst = Math.max(worst, maxAbsDiff(neighbours.similarity[i]!, ofIds), maxAbsDiff(neighbours.similarity[i]!, top5));
  }
  report.push(`neighbour similarity max abs error ${worst.toExponential(2)}`);
  expect(worst).toBeLessThan(1e-5);

  // The 2,000-point map: each sampled id's embedding, centred, on the two axes.
  const ids = sampleVocabularyIds(V, 2000);
  const map = await projectIds(table, basis, ids);
  expect(map.map((m) => m.id)).toEqual(ids);
  const expected = ids.flatMap((id) => [rowDot(x, id, v1) - dot(mean, v1), rowDot(x, id, v2) - dot(mean, v2)]);
  const mapError = maxAbsDiff(map.flatMap((m) => [m.x, m.y]), expected);
  console.log(`32k × 512 on ${testBackend}: ${report.join('; ')}; map max abs error ${mapError.toExponential(2)}`);
  expect(mapError).toBeLessThan(1e-4);
});
