/** Splitting [batch, length, heads · dKv] activations into heads and back, and products per head. */
import * as tf from '@tensorflow/tfjs';
import { batchMatMul } from './batchMatMul';

/** How attention splits into heads, and its dropout rate (0 when not training). */
export interface HeadShape {
  numHeads: number;
  dKv: number;
  dropoutRate: number;
}

/** [batch, length, heads · dKv] → [batch, heads, length, dKv]. */
export function splitHeads(x: tf.Tensor, batch: number, numHeads: number, dKv: number): tf.Tensor4D {
  return tf.transpose(tf.reshape(x, [batch, -1, numHeads, dKv]), [0, 2, 1, 3]);
}

/** a · b (optionally transposed) over [batch, heads, ·, ·] tensors. */
export function headMatMul(a: tf.Tensor4D, b: tf.Tensor4D, transposeA = false, transposeB = false): tf.Tensor4D {
  const [batch, heads] = a.shape;
  const flat = (t: tf.Tensor4D) => tf.reshape(t, [batch * heads, t.shape[2], t.shape[3]]) as tf.Tensor3D;
  const out = batchMatMul(flat(a), flat(b), transposeA, transposeB);
  return tf.reshape(out, [batch, heads, out.shape[1], out.shape[2]]) as tf.Tensor4D;
}

/** [batch, heads, length, dKv] → [batch · length, heads · dKv]. */
export function mergeHeads(x: tf.Tensor): tf.Tensor2D {
  const [batch, heads, length, dKv] = x.shape as [number, number, number, number];
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [batch * length, heads * dKv]);
}
