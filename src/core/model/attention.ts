/**
 * T5 multi-head attention. Unlike BERT/GPT there is no 1/sqrt(d_kv) scaling of the scores
 * (it is folded into the initialisation), and position information enters only as an additive
 * bias on the scores, which also carries the padding / causal mask.
 */
import * as tf from '@tensorflow/tfjs';
import { absorbedCrossAttention, absorbedIsCheaper } from './absorbedCrossAttention';
import { headMatMul, mergeHeads, splitHeads, type HeadShape } from './heads';
import { dropoutMask, project } from './linear';
import type { AttentionWeights } from './t5Weights';

/**
 * @param query  [batch, queryLength, dModel]
 * @param keyValue [batch, keyLength, dModel] (the query itself for self-attention)
 * @param bias   broadcastable to [batch, heads, queryLength, keyLength]
 *
 * One custom-gradient unit (the weights and the bias are constants: no gradient for them). The
 * backward pass keeps only q, k, v, the attention probabilities p and the dropout mask m, instead
 * of every reshape, transpose and product of the op chain (and a gradient for each until the pass
 * ends). With s = q kᵀ + bias, p = softmax(s), c = (p ⊙ m) v, y = merge(c) · oᵀ:
 *   dc = split(dy · o),  dv = (p ⊙ m)ᵀ dc,  dp = (dc vᵀ) ⊙ m,  ds = p ⊙ (dp − Σ dp ⊙ p),
 *   dq = ds k,  dk = dsᵀ q,  dx = merge(dq) · q_w (+ merge(dk) · k_w + merge(dv) · v_w for the key/value input).
 */
export function attention(query: tf.Tensor3D, keyValue: tf.Tensor3D, w: AttentionWeights, bias: tf.Tensor, heads: HeadShape): tf.Tensor3D {
  const { numHeads, dKv, dropoutRate } = heads;
  const [batch, queryLength, dModel] = query.shape;
  const isSelf = query === keyValue;
  if (!isSelf && absorbedIsCheaper(queryLength, keyValue.shape[1], dModel, dKv)) {
    return absorbedCrossAttention(query, keyValue, w, bias, heads);
  }
  const inputs = isSelf ? [query] : [query, keyValue];
  const unit = tf.customGrad((...args) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const x = tf.reshape(args[0] as tf.Tensor, [-1, dModel]) as tf.Tensor2D;
    const kv = isSelf ? x : (tf.reshape(args[1] as tf.Tensor, [-1, dModel]) as tf.Tensor2D);
    const q = splitHeads(project(x, w.q), batch, numHeads, dKv);
    const k = splitHeads(project(kv, w.k), batch, numHeads, dKv);
    const v = splitHeads(project(kv, w.v), batch, numHeads, dKv);
    const p = tf.softmax(tf.add(headMatMul(q, k, false, true), bias)) as tf.Tensor4D;
    let weights: tf.Tensor = p;
    if (dropoutRate > 0) {
      const mask = dropoutMask(p.shape, dropoutRate);
      save([q, k, v, p, mask]);
      weights = tf.mul(p, mask);
    } else {
      save([q, k, v, p]);
    }
    const y = project(mergeHeads(headMatMul(weights as tf.Tensor4D, v)), w.o);
    return {
      value: tf.reshape(y, [batch, queryLength, dModel]),
      // In a tidy: TF.js runs a custom gradient outside the per-node scope, so intermediates
      // would otherwise live until the whole backward pass ends.
      gradFunc: (dy, saved) =>
        tf.tidy(() => {
          const [qs, ks, vs, ps, mask] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D | undefined];
          const dContext = splitHeads(tf.matMul(tf.reshape(dy, [-1, dModel]) as tf.Tensor2D, w.o), batch, numHeads, dKv);
          const dropped = mask ? (tf.mul(ps, mask) as tf.Tensor4D) : ps;
          const dv = headMatMul(dropped, dContext, true, false);
          let dp = headMatMul(dContext, vs, false, true) as tf.Tensor;
          if (mask) dp = tf.mul(dp, mask);
          const ds = tf.mul(ps, tf.sub(dp, tf.sum(tf.mul(dp, ps), -1, true))) as tf.Tensor4D;
          const dq = headMatMul(ds, ks);
          const dk = headMatMul(ds, qs, true, false);
          const dxQuery = tf.matMul(mergeHeads(dq), w.q);
          const dxKeyValue = tf.add(tf.matMul(mergeHeads(dk), w.k), tf.matMul(mergeHeads(dv), w.v));
          const shaped = (t: tf.Tensor, like: tf.Tensor) => tf.reshape(t, like.shape);
          return isSelf ? [shaped(tf.add(dxQuery, dxKeyValue), query)] : [shaped(dxQuery, query), shaped(dxKeyValue, keyValue)];
        }),
    };
  });
  return unit(...inputs) as tf.Tensor3D;
}
