/**
 * The encoder's self-attention probabilities, for reading what the model attends to. A separate,
 * forward-only pass: the training path (T5Model.encode and its custom-gradient attention) is left
 * exactly as it is, and this one reuses its norm and feed-forward units and the same weights, so its
 * hidden states equal T5Model.encode's (the test checks it).
 */
import * as tf from '@tensorflow/tfjs';
import { headMatMul, mergeHeads, splitHeads } from '../model/heads';
import { feedForward } from '../model/feedForward';
import { project } from '../model/linear';
import { relativePositionBuckets } from '../model/relativePosition';
import { rmsNorm } from '../model/rmsNorm';
import type { T5Model } from '../model/t5Model';
import type { AttentionWeights } from '../model/t5Weights';

/** As in T5Model: softmax turns it into exactly 0. */
const MASKED = -1e9;

export interface EncoderReading {
  /** The encoder's output [batch, length, dModel] (after the final norm). */
  hidden: tf.Tensor3D;
  /** Per layer: attention probabilities [batch, heads, query, key]. */
  probabilities: tf.Tensor4D[];
}

/** Self-attention that also returns its probabilities; plain ops, no gradient unit. */
function selfAttention(x: tf.Tensor3D, w: AttentionWeights, bias: tf.Tensor, numHeads: number, dKv: number): { value: tf.Tensor3D; p: tf.Tensor4D } {
  const [batch, length, dModel] = x.shape;
  const flat = tf.reshape(x, [-1, dModel]) as tf.Tensor2D;
  const q = splitHeads(project(flat, w.q), batch, numHeads, dKv);
  const k = splitHeads(project(flat, w.k), batch, numHeads, dKv);
  const v = splitHeads(project(flat, w.v), batch, numHeads, dKv);
  const p = tf.softmax(tf.add(headMatMul(q, k, false, true), bias)) as tf.Tensor4D;
  const y = project(mergeHeads(headMatMul(p, v)), w.o);
  return { value: tf.reshape(y, [batch, length, dModel]), p };
}

/** The encoder over input embeddings [batch, length, dModel] with a 1/0 mask, keeping every layer's probabilities. The caller owns the tensors. */
export function encodeWithAttention(model: T5Model, inputsEmbeds: tf.Tensor3D, attentionMask: tf.Tensor2D): EncoderReading {
  const c = model.config;
  const w = model.weights.encoder;
  const [batch, length] = attentionMask.shape;
  const probabilities: tf.Tensor4D[] = [];
  const hidden = tf.tidy(() => {
    const buckets = relativePositionBuckets(length, length, true, c.numBuckets, c.maxDistance);
    const values = tf.gather(w.relativeAttentionBias, tf.tensor1d(buckets, 'int32'));
    const position = tf.expandDims(tf.transpose(tf.reshape(values, [length, length, c.numHeads]), [2, 0, 1]), 0);
    const padding = tf.reshape(tf.mul(tf.sub(1, tf.cast(attentionMask, 'float32')), MASKED), [batch, 1, 1, length]);
    const bias = tf.add(position, padding);
    let h = inputsEmbeds;
    for (const block of w.blocks) {
      const attended = selfAttention(rmsNorm(h, block.selfAttentionNorm, c.layerNormEps), block.selfAttention, bias, c.numHeads, c.dKv);
      probabilities.push(tf.keep(attended.p));
      h = tf.add(h, attended.value);
      h = tf.add(h, feedForward(rmsNorm(h, block.feedForwardNorm, c.layerNormEps), block.feedForward, c.activation, 0));
    }
    return rmsNorm(h, w.finalNorm, c.layerNormEps);
  });
  return { hidden, probabilities };
}
