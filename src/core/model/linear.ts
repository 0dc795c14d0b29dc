import * as tf from '@tensorflow/tfjs';
import { derived } from './derivedWeights';

/**
 * Whether this backend multiplies by a transposed operand so much more slowly that an [in, out]
 * copy of each frozen layer weight is worth its memory: WASM (XNNPACK takes only untransposed
 * operands; with a transpose flag TF.js runs a scalar loop, about 10× slower) and WebGPU (about
 * 1.7× on SwiftShader). The CPU and WebGL backends read a transposed operand at full speed, so
 * there each weight is held once.
 */
export function cachesTransposes(): boolean {
  const backend = tf.getBackend();
  return backend === 'wasm' || backend === 'webgpu';
}

/** x [rows, in] · wᵀ for a PyTorch-layout weight w [out, in]: the forward product of every frozen layer. */
export function project(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return cachesTransposes() ? tf.matMul(x, transposed(w)) : tf.matMul(x, w, false, true);
}

/**
 * x[..., in] · wᵀ for a frozen PyTorch-layout weight w [out, in]. The gradient with respect to x
 * is dy · w, a product without a transpose flag; the backward pass keeps nothing alive but the
 * weight (autodiff of tf.matMul would save x as well).
 */
export function frozenMatMul(x: tf.Tensor, w: tf.Tensor2D): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  const inDim = x.shape[x.shape.length - 1]!;
  const product = tf.customGrad((input) => ({
    value: project(input as tf.Tensor2D, w),
    gradFunc: (dy) => tf.matMul(dy as tf.Tensor2D, w),
  }));
  const y = product(tf.reshape(x, [-1, inDim]));
  return tf.reshape(y, [...lead, w.shape[0]]);
}

/** The [in, out] transpose of a frozen PyTorch-layout weight [out, in], made once and cached. */
export function transposed(weight: tf.Tensor2D): tf.Tensor2D {
  return derived(weight, 'T', () => tf.transpose(weight));
}

/** x[..., in] times a PyTorch-layout weight [out, in]. */
export function linear(x: tf.Tensor, weight: tf.Tensor2D): tf.Tensor {
  return frozenMatMul(x, weight);
}

/**
 * x [rows, d] · tableᵀ for a [vocab, d] table (the output head, or the tied embeddings) with no
 * transposed copy of the table (66 MB for T5 small) on any backend. On WASM as (table · xᵀ)ᵀ:
 * XNNPACK then multiplies the table by xᵀ, a few KB packed per call (measured, CPU time, 16 rows
 * of T5 small: 25-31 ms against 19-26 ms with a cached [d, vocab] copy, ~0.2% of a training step).
 * The gradient dy · table needs no transpose.
 */
export function vocabProjection(x: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D {
  const product = tf.customGrad((input) => {
    const rows = input as tf.Tensor2D;
    return {
      value: tf.getBackend() === 'wasm' ? tf.transpose(tf.matMul(table, tf.transpose(rows))) : tf.matMul(rows, table, false, true),
      gradFunc: (dy) => tf.matMul(dy as tf.Tensor2D, table),
    };
  });
  return product(x) as tf.Tensor2D;
}

/** tf.dropout's scaled keep mask: floor(u + keep) / keep with u uniform in [0, 1), so 0 or 1/keep. */
export function dropoutMask(shape: number[], rate: number): tf.Tensor {
  const keep = 1 - rate;
  return tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32'), keep)), keep);
}

/**
 * Dropout that is a no-op (and allocates nothing) when the rate is 0, as during evaluation.
 * Otherwise tf.dropout's computation as one custom-gradient unit, so the backward pass keeps only
 * the scaled mask (tf.dropout's op chain keeps x, the mask and an intermediate): dx = dy · mask.
 */
export function maybeDropout<T extends tf.Tensor>(x: T, rate: number): T {
  if (rate <= 0) return x;
  const unit = tf.customGrad((input, save) => {
    const mask = dropoutMask(x.shape, rate);
    (save as tf.GradSaveFunc)([mask]);
    return { value: tf.mul(input as tf.Tensor, mask), gradFunc: (dy, saved) => tf.mul(dy, saved[0]!) };
  });
  return unit(x) as T;
}
