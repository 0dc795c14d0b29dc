import * as tf from '@tensorflow/tfjs';

/**
 * T5's layer norm: scale only, no mean subtraction and no bias. y = x · r · g with
 * r = rsqrt(mean(x²) + eps). One custom-gradient unit: the backward pass keeps only x and r
 * ([..., 1]) instead of every intermediate, and needs no gradient for the frozen scale g:
 * dx = r · (dy·g) − x · r³ · mean(dy·g·x).
 */
export function rmsNorm<T extends tf.Tensor>(x: T, weight: tf.Tensor1D, eps: number): T {
  const norm = tf.customGrad((input, save) => {
    const x = input as tf.Tensor;
    const r = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps));
    (save as tf.GradSaveFunc)([x, r]);
    return {
      value: tf.mul(tf.mul(x, r), weight),
      // In a tidy: TF.js runs a custom gradient outside the per-node scope, so intermediates
      // would otherwise live until the whole backward pass ends.
      gradFunc: (dy, saved) =>
        tf.tidy(() => {
          const [xs, rs] = saved as [tf.Tensor, tf.Tensor];
          const dyG = tf.mul(dy, weight);
          const dot = tf.mean(tf.mul(dyG, xs), -1, true);
          return tf.sub(tf.mul(dyG, rs), tf.mul(xs, tf.mul(tf.pow(rs, 3), dot)));
        }),
    };
  });
  return norm(x) as T;
}
