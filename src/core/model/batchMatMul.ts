/**
 * Batched matrix products a[g] · b[g] (attention's q·kᵀ, p·v and their gradients), with optional
 * transposes. TF.js's WASM backend hands BatchMatMul to XNNPACK only for one matrix without
 * transposes; with a batch it runs a scalar, single-threaded loop (~2 GFLOP/s, over a third of a
 * training step). The same product written as a depthwise convolution runs on XNNPACK: the g
 * matrices are the channels, the shared dimension k is the filter's height, and each channel
 * multiplies by its own [k, j] filter. Other backends multiply directly.
 */
import * as tf from '@tensorflow/tfjs';

/** [g, i, k] (or [g, k, i] with transposeA) · [g, k, j] (or [g, j, k] with transposeB) → [g, i, j]. */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D, transposeA = false, transposeB = false): tf.Tensor3D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b, transposeA, transposeB);
  return tf.tidy(() => {
    const g = a.shape[0];
    const [i, k] = transposeA ? [a.shape[2], a.shape[1]] : [a.shape[1], a.shape[2]];
    const j = transposeB ? b.shape[1] : b.shape[2];
    // Input [i, k, 1, g]: row i is a batch item, k its height, g its channels; filter [k, 1, g, j].
    const x = tf.reshape(tf.transpose(a, transposeA ? [2, 1, 0] : [1, 2, 0]), [i, k, 1, g]) as tf.Tensor4D;
    const filter = tf.reshape(tf.transpose(b, transposeB ? [2, 0, 1] : [1, 0, 2]), [k, 1, g, j]) as tf.Tensor4D;
    const y = tf.depthwiseConv2d(x, filter, 1, 'valid'); // [i, 1, 1, g · j]
    return tf.transpose(tf.reshape(y, [i, g, j]), [1, 0, 2]);
  });
}
