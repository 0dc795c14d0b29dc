import * as tf from '@tensorflow/tfjs';
import { derived } from './derivedWeights';

/**
 * x[..., in] · wT for a frozen wT [in, out] whose transpose w [out, in] is also at hand.
 * The gradient with respect to x is dy · w: both products run without a transpose flag (TF.js's
 * WASM matMul is about 12× slower with transposeB, SwiftShader WebGPU about 1.7×), and the backward
 * pass keeps nothing alive but the weights (autodiff of tf.matMul would save x as well).
 */
export function frozenMatMul(x: tf.Tensor, wT: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  const inDim = x.shape[x.shape.length - 1]!;
  const product = tf.customGrad((input) => ({
    value: tf.matMul(input as tf.Tensor2D, wT),
    gradFunc: (dy) => tf.matMul(dy as tf.Tensor2D, w),
  }));
  const y = product(tf.reshape(x, [-1, inDim]));
  return tf.reshape(y, [...lead, wT.shape[1]]);
}

/** The [in, out] transpose of a frozen PyTorch-layout weight [out, in], made once and cached. */
export function transposed(weight: tf.Tensor2D): tf.Tensor2D {
  return derived(weight, 'T', () => tf.transpose(weight));
}

/** x[..., in] times a PyTorch-layout weight [out, in]. */
export function linear(x: tf.Tensor, weight: tf.Tensor2D): tf.Tensor {
  return frozenMatMul(x, transposed(weight), weight);
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
