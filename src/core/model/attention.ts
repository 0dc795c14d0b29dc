/**
 * T5 multi-head attention. Unlike BERT/GPT there is no 1/sqrt(d_kv) scaling of the scores
 * (it is folded into the initialisation), and position information enters only as an additive
 * bias on the scores, which also carries the padding / causal mask.
 */
import * as tf from '@tensorflow/tfjs';
import { linear, maybeDropout } from './linear';
import type { AttentionWeights } from './t5Weights';

function splitHeads(x: tf.Tensor, numHeads: number, dKv: number): tf.Tensor4D {
  const [batch, length] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [batch, length, numHeads, dKv]), [0, 2, 1, 3]);
}

/**
 * @param query  [batch, queryLength, dModel]
 * @param keyValue [batch, keyLength, dModel] (the query itself for self-attention)
 * @param bias   broadcastable to [batch, heads, queryLength, keyLength]
 */
export function attention(
  query: tf.Tensor3D,
  keyValue: tf.Tensor3D,
  w: AttentionWeights,
  bias: tf.Tensor,
  numHeads: number,
  dKv: number,
  dropoutRate: number,
): tf.Tensor3D {
  const [batch, queryLength] = query.shape;
  const q = splitHeads(linear(query, w.q), numHeads, dKv);
  const k = splitHeads(linear(keyValue, w.k), numHeads, dKv);
  const v = splitHeads(linear(keyValue, w.v), numHeads, dKv);
  const scores = tf.add(tf.matMul(q, k, false, true), bias);
  const weights = maybeDropout(tf.softmax(scores), dropoutRate);
  const context = tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]);
  return linear(tf.reshape(context, [batch, queryLength, numHeads * dKv]), w.o) as tf.Tensor3D;
}
