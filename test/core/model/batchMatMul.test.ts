/** Batched products against a plain triple loop, every transpose combination (the WASM project runs the convolution route). */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { batchMatMul } from '../../../src/core/model/batchMatMul';
import { testBackend } from '../../helpers/fixtures';

function naive(a: number[][][], b: number[][][], tA: boolean, tB: boolean): number[][][] {
  return a.map((am, g) => {
    const A = tA ? am[0]!.map((_, c) => am.map((row) => row[c]!)) : am;
    const bm = b[g]!;
    const B = tB ? bm[0]!.map((_, c) => bm.map((row) => row[c]!)) : bm;
    return A.map((row) => B[0]!.map((_, j) => row.reduce((s, x, k) => s + x * B[k]![j]!, 0)));
  });
}

it(`runs on ${testBackend}`, () => expect(tf.getBackend()).toBe(testBackend));

it.each([
  [false, false],
  [true, false],
  [false, true],
  [true, true],
])('transposeA %s, transposeB %s: equals the triple loop', (tA, tB) => {
  const [g, i, k, j] = [6, 5, 7, 3];
  const a = tf.randomUniform(tA ? [g, k, i] : [g, i, k], -1, 1, 'float32', 1) as tf.Tensor3D;
  const b = tf.randomUniform(tB ? [g, j, k] : [g, k, j], -1, 1, 'float32', 2) as tf.Tensor3D;
  const before = tf.memory().numTensors;
  const out = batchMatMul(a, b, tA, tB);
  expect(tf.memory().numTensors).toBe(before + 1); // no intermediates left behind
  expect(out.shape).toEqual([g, i, j]);
  const expected = naive(a.arraySync(), b.arraySync(), tA, tB).flat(2);
  const got = Array.from(out.dataSync());
  expect(Math.max(...got.map((x, n) => Math.abs(x - expected[n]!)))).toBeLessThan(1e-5);
});
