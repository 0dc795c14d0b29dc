import * as tf from '@tensorflow/tfjs';

/** x[..., in] times a PyTorch-layout weight [out, in], without materialising the transpose. */
export function linear(x: tf.Tensor, weight: tf.Tensor2D): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  const inDim = x.shape[x.shape.length - 1]!;
  const y = tf.matMul(tf.reshape(x, [-1, inDim]) as tf.Tensor2D, weight, false, true);
  return tf.reshape(y, [...lead, weight.shape[0]]);
}

/** Dropout that is a no-op (and allocates nothing) when the rate is 0, as during evaluation. */
export function maybeDropout<T extends tf.Tensor>(x: T, rate: number): T {
  return rate > 0 ? (tf.dropout(x, rate) as T) : x;
}
