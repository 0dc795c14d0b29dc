/**
 * Cross-attention for short decoder sequences (label targets of a few tokens) without projecting
 * every encoder position to keys and values. Per head h, with W_k,h and W_v,h its [dKv, dModel]
 * slices of the key and value weights:
 *   scores = q_h · (enc · W_k,hᵀ)ᵀ = (q_h · W_k,h) · encᵀ,   context = p · (enc · W_v,hᵀ) = (p · enc) · W_v,hᵀ.
 * Projecting the encoder costs O(keyLength · dModel · dKv) per head; the absorbed form costs
 * O(queryLength · dModel · (dKv + keyLength)): for a 2-token target over 84 encoder tokens, ~18x
 * less, about 8 GFLOP of a T5-small training step (forward and backward, 8 decoder layers).
 *
 * Backward, with a = q_h W_k,h (saved), p the probabilities, m the dropout mask, e the encoder output:
 *   dpe = dctx · W_v,h,  dp = (dpe · eᵀ) ⊙ m,  de += (p ⊙ m)ᵀ · dpe,  ds = p ⊙ (dp − Σ dp ⊙ p),
 *   da = ds · e,  de += dsᵀ · a,  dq_h = da · W_k,hᵀ,  dx = merge(dq) · W_q.
 */
import * as tf from '@tensorflow/tfjs';
import { batchMatMul } from './batchMatMul';
import { mergeHeads, splitHeads, type HeadShape } from './heads';
import { dropoutMask, project } from './linear';
import type { AttentionWeights } from './t5Weights';

/** True when the absorbed form does less arithmetic than projecting the encoder (short queries). */
export function absorbedIsCheaper(queryLength: number, keyLength: number, dModel: number, dKv: number): boolean {
  return queryLength * (dKv + keyLength) * dModel < keyLength * dKv * (dModel + queryLength);
}

/** [batch, heads, length, x] ↔ [heads, batch · length, x]: heads as the batch of a product. */
function headsFirst(t: tf.Tensor): tf.Tensor3D {
  const [batch, heads, length, x] = t.shape as [number, number, number, number];
  return tf.reshape(tf.transpose(t, [1, 0, 2, 3]), [heads, batch * length, x]);
}
function batchFirst(t: tf.Tensor, batch: number): tf.Tensor4D {
  const [heads, rows, x] = t.shape as [number, number, number];
  return tf.transpose(tf.reshape(t, [heads, batch, rows / batch, x]), [1, 0, 2, 3]);
}

export function absorbedCrossAttention(query: tf.Tensor3D, encoded: tf.Tensor3D, w: AttentionWeights, bias: tf.Tensor, heads: HeadShape): tf.Tensor3D {
  const { numHeads, dKv, dropoutRate } = heads;
  const [batch, queryLength, dModel] = query.shape;
  const keyLength = encoded.shape[1];
  const wk = tf.reshape(w.k, [numHeads, dKv, dModel]) as tf.Tensor3D;
  const wv = tf.reshape(w.v, [numHeads, dKv, dModel]) as tf.Tensor3D;
  /** [batch, heads · queryLength, ·] ↔ [batch, heads, queryLength, ·]. */
  const rowsOf = (t: tf.Tensor) => tf.reshape(t, [batch, numHeads * queryLength, -1]) as tf.Tensor3D;
  const unit = tf.customGrad((x, e, save) => {
    const enc = e as tf.Tensor3D;
    const q = splitHeads(project(tf.reshape(x as tf.Tensor, [-1, dModel]) as tf.Tensor2D, w.q), batch, numHeads, dKv);
    const absorbed = rowsOf(batchFirst(batchMatMul(headsFirst(q), wk), batch)); // [batch, heads · q, dModel]
    const scores = tf.reshape(batchMatMul(absorbed, enc, false, true), [batch, numHeads, queryLength, keyLength]);
    const p = tf.softmax(tf.add(scores, bias)) as tf.Tensor4D;
    let weights: tf.Tensor = p;
    if (dropoutRate > 0) {
      const mask = dropoutMask(p.shape, dropoutRate);
      (save as tf.GradSaveFunc)([absorbed, p, enc, mask]);
      weights = tf.mul(p, mask);
    } else {
      (save as tf.GradSaveFunc)([absorbed, p, enc]);
    }
    const pooled = batchMatMul(rowsOf(weights), enc); // [batch, heads · q, dModel]
    const context = batchFirst(batchMatMul(headsFirst(tf.reshape(pooled, [batch, numHeads, queryLength, dModel])), wv, false, true), batch);
    return {
      value: tf.reshape(project(mergeHeads(context), w.o), [batch, queryLength, dModel]),
      gradFunc: (dy, saved) =>
        tf.tidy(() => {
          const [as, ps, es, mask] = saved as [tf.Tensor3D, tf.Tensor4D, tf.Tensor3D, tf.Tensor4D | undefined];
          const dContext = splitHeads(tf.matMul(tf.reshape(dy, [-1, dModel]) as tf.Tensor2D, w.o), batch, numHeads, dKv);
          const dPooled = rowsOf(batchFirst(batchMatMul(headsFirst(dContext), wv), batch));
          const dropped = mask ? tf.mul(ps, mask) : ps;
          let dp = tf.reshape(batchMatMul(dPooled, es, false, true), ps.shape) as tf.Tensor;
          if (mask) dp = tf.mul(dp, mask);
          const ds = rowsOf(tf.mul(ps, tf.sub(dp, tf.sum(tf.mul(dp, ps), -1, true))));
          const dEncoded = tf.add(batchMatMul(rowsOf(dropped), dPooled, true, false), batchMatMul(ds, as, true, false));
          const dAbsorbed = batchMatMul(ds, es); // [batch, heads · q, dModel]
          const dq = batchFirst(batchMatMul(headsFirst(tf.reshape(dAbsorbed, [batch, numHeads, queryLength, dModel])), wk, false, true), batch);
          const dx = tf.reshape(tf.matMul(mergeHeads(dq), w.q), query.shape);
          return [dx, dEncoded];
        }),
    };
  });
  return unit(query, encoded) as tf.Tensor3D;
}
