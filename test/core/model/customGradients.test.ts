/**
 * The model's custom-gradient units (attention, gated-GELU feed-forward, RMS norm, dropout, frozen
 * matmul) against autodiff of the plain formulas they replace. The parity suite checks them with
 * dropout off against PyTorch; here dropout is on, with a fixed mask shared by both sides (the
 * units draw theirs from linear.ts's dropoutMask, replaced by a deterministic one).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';

/** A fixed scaled keep-mask for a shape: 0 or 1/keep by a hash of the element index. */
function fixedMask(shape: number[], rate: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const keep = 1 - rate;
  const values = Float32Array.from({ length: size }, (_, i) => (((i * 2654435761) >>> 0) % 97 < 97 * rate ? 0 : 1 / keep));
  return tf.tensor(values, shape);
}

vi.mock('../../../src/core/model/linear', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/core/model/linear')>()),
  dropoutMask: fixedMask,
}));

const { attention } = await import('../../../src/core/model/attention');
const { absorbedIsCheaper } = await import('../../../src/core/model/absorbedCrossAttention');
const { feedForward } = await import('../../../src/core/model/feedForward');
const { rmsNorm } = await import('../../../src/core/model/rmsNorm');
const { frozenMatMul, maybeDropout, vocabProjection } = await import('../../../src/core/model/linear');

const random = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 0.5, 'float32', seed);
const ref = (x: tf.Tensor, w: tf.Tensor) => tf.matMul(tf.reshape(x, [-1, w.shape[1]!]), w, false, true);
const RATE = 0.3;

/** Max |a − b| / max |b| between the gradients of sum(f(x) · c) for the unit and the reference. */
function gradientError(unit: (x: tf.Tensor) => tf.Tensor, reference: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): { value: number; grad: number } {
  return tf.tidy(() => {
    const c = random(unit(x).shape, 99);
    const loss = (f: (x: tf.Tensor) => tf.Tensor) => (input: tf.Tensor) => tf.sum(tf.mul(tf.reshape(f(input), c.shape), c));
    const rel = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / tf.max(tf.abs(b)).dataSync()[0]!;
    return {
      value: rel(tf.reshape(unit(x), c.shape), tf.reshape(reference(x), c.shape)),
      grad: rel(tf.grad(loss(unit))(x), tf.grad(loss(reference))(x)),
    };
  });
}

describe('custom-gradient units match autodiff of the plain formula', () => {
  const [batch, length, dModel, heads, dKv, dFf] = [2, 5, 12, 3, 4, 16];
  const w = { q: random([heads * dKv, dModel], 1), k: random([heads * dKv, dModel], 2), v: random([heads * dKv, dModel], 3), o: random([dModel, heads * dKv], 4) } as const;
  const x = random([batch, length, dModel], 5) as tf.Tensor3D;
  const bias = random([1, heads, length, length], 6);

  function plainAttention(query: tf.Tensor, kv: tf.Tensor, rate: number): tf.Tensor {
    const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [batch, -1, heads, dKv]), [0, 2, 1, 3]);
    const [q, k, v] = [split(ref(query, w.q)), split(ref(kv, w.k)), split(ref(kv, w.v))];
    let p = tf.softmax(tf.add(tf.matMul(q, k, false, true), bias));
    if (rate > 0) p = tf.mul(p, fixedMask(p.shape, rate));
    return ref(tf.reshape(tf.transpose(tf.matMul(p, v), [0, 2, 1, 3]), [batch * length, heads * dKv]), w.o);
  }

  it.each([0, RATE])('self-attention, dropout %s', (rate) => {
    const e = gradientError((t) => attention(t as tf.Tensor3D, t as tf.Tensor3D, w as never, bias, { numHeads: heads, dKv, dropoutRate: rate }), (t) => plainAttention(t, t, rate), x);
    expect(e.value).toBeLessThan(1e-6);
    expect(e.grad).toBeLessThan(1e-5);
  });

  it('cross-attention: gradients reach both the query and the key/value input', () => {
    const kv = random([batch, length, dModel], 7) as tf.Tensor3D;
    const towardsQuery = gradientError((t) => attention(t as tf.Tensor3D, kv, w as never, bias, { numHeads: heads, dKv, dropoutRate: RATE }), (t) => plainAttention(t, kv, RATE), x);
    const towardsKv = gradientError((t) => attention(x, t as tf.Tensor3D, w as never, bias, { numHeads: heads, dKv, dropoutRate: RATE }), (t) => plainAttention(x, t, RATE), kv);
    expect(towardsQuery.grad).toBeLessThan(1e-5);
    expect(towardsKv.grad).toBeLessThan(1e-5);
  });

  it.each([0, RATE])('cross-attention of a short query over a longer input (the absorbed form), dropout %s', (rate) => {
    const [lq, lk] = [2, 7];
    expect(absorbedIsCheaper(lq, lk, dModel, dKv)).toBe(true);
    expect(absorbedIsCheaper(length, length, dModel, dKv)).toBe(false); // the test above: projected keys
    const query = random([batch, lq, dModel], 14) as tf.Tensor3D;
    const encoded = random([batch, lk, dModel], 15) as tf.Tensor3D;
    const crossBias = random([batch, 1, 1, lk], 16);
    const plain = (qIn: tf.Tensor, kvIn: tf.Tensor) => {
      const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [batch, -1, heads, dKv]), [0, 2, 1, 3]);
      const [q, k, v] = [split(ref(qIn, w.q)), split(ref(kvIn, w.k)), split(ref(kvIn, w.v))];
      let p = tf.softmax(tf.add(tf.matMul(q, k, false, true), crossBias));
      if (rate > 0) p = tf.mul(p, fixedMask(p.shape, rate));
      return ref(tf.reshape(tf.transpose(tf.matMul(p, v), [0, 2, 1, 3]), [batch * lq, heads * dKv]), w.o);
    };
    const towardsQuery = gradientError((t) => attention(t as tf.Tensor3D, encoded, w as never, crossBias, { numHeads: heads, dKv, dropoutRate: rate }), (t) => plain(t, encoded), query);
    const towardsEncoded = gradientError((t) => attention(query, t as tf.Tensor3D, w as never, crossBias, { numHeads: heads, dKv, dropoutRate: rate }), (t) => plain(query, t), encoded);
    expect(towardsQuery.value).toBeLessThan(1e-6);
    expect(towardsQuery.grad).toBeLessThan(1e-5);
    expect(towardsEncoded.grad).toBeLessThan(1e-5);
  });

  it.each([0, RATE])('gated-GELU feed-forward (gelu_new), dropout %s', (rate) => {
    const ff = { wi0: random([dFf, dModel], 8), wi1: random([dFf, dModel], 9), wo: random([dModel, dFf], 10) } as never as { wi0: tf.Tensor2D; wi1: tf.Tensor2D; wo: tf.Tensor2D };
    const plain = (t: tf.Tensor) => {
      const a = ref(t, ff.wi0);
      // gelu_new as transformers writes it: 0.5 a (1 + tanh(√(2/π)(a + 0.044715 a³))).
      const gelu = tf.mul(tf.mul(a, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(a, tf.mul(0.044715, tf.pow(a, 3)))))));
      let h = tf.mul(gelu, ref(t, ff.wi1));
      if (rate > 0) h = tf.mul(h, fixedMask(h.shape, rate));
      return ref(h, ff.wo);
    };
    const e = gradientError((t) => feedForward(t as tf.Tensor3D, ff, 'gelu_new', rate), plain, x);
    expect(e.value).toBeLessThan(1e-6);
    expect(e.grad).toBeLessThan(1e-5);
  });

  it('RMS norm', () => {
    const g = random([dModel], 11) as tf.Tensor1D;
    const plain = (t: tf.Tensor) => tf.mul(tf.mul(t, tf.rsqrt(tf.add(tf.mean(tf.square(t), -1, true), 1e-6))), g);
    const e = gradientError((t) => rmsNorm(t, g, 1e-6), plain, x);
    expect(e.value).toBeLessThan(1e-6);
    expect(e.grad).toBeLessThan(1e-5);
  });

  it('frozen matmul', () => {
    const weight = random([7, dModel], 12) as tf.Tensor2D;
    const e = gradientError((t) => frozenMatMul(t, weight), (t) => ref(t, weight), x);
    expect(e.value).toBeLessThan(1e-6);
    expect(e.grad).toBeLessThan(1e-6);
  });

  it('vocabulary projection (the output head, held without a transposed copy)', () => {
    const table = random([23, dModel], 17) as tf.Tensor2D;
    const rows = random([6, dModel], 18);
    const e = gradientError((t) => vocabProjection(t as tf.Tensor2D, table), (t) => ref(t, table), rows);
    expect(e.value).toBeLessThan(1e-6);
    expect(e.grad).toBeLessThan(1e-6);
  });

  it('dropout passes the gradient through its own mask, scaled by 1/keep', () => {
    // Its mask is drawn inside linear.ts (not the fixed one): the gradient of sum(y · c) must be
    // c where y kept x (y = x / keep) and 0 where it dropped it.
    tf.tidy(() => {
      const input = tf.add(tf.abs(x), 0.1);
      const c = random(x.shape, 13);
      const [y, dx] = (() => {
        let out: tf.Tensor | undefined;
        const g = tf.grad((t: tf.Tensor) => {
          out = tf.keep(maybeDropout(t, RATE));
          return tf.sum(tf.mul(out, c));
        })(input);
        return [out!, g];
      })();
      const scale = tf.div(y, input).arraySync() as number[][][];
      const flatScale = scale.flat(2);
      expect(new Set(flatScale.map((s) => Math.round(s * 1e4) / 1e4))).toEqual(new Set([0, Math.round(1e4 / (1 - RATE)) / 1e4]));
      const expected = tf.mul(c, tf.div(y, input));
      expect(tf.max(tf.abs(tf.sub(dx, expected))).dataSync()[0]).toBeLessThan(1e-6);
    });
  });
});
