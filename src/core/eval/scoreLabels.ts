/**
 * Rank classification: score every label's target text under the model and pick the likeliest,
 * rather than hoping free generation produces a label verbatim.
 */
import * as tf from '@tensorflow/tfjs';
import { IGNORE_INDEX } from '../model/seq2seqLoss';
import { encoderInput } from '../model/softPromptInput';
import type { T5Model } from '../model/t5Model';
import { padIds, padTargets } from './padBatch';

/**
 * Log-probability of each label token, [batch, length]; 0 where the label is IGNORE_INDEX.
 * Picks with one flat gather instead of a one-hot product, so no second vocab-sized tensor exists.
 */
export function targetLogProbs(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, length, vocab] = logits.shape;
    const valid = tf.notEqual(labels, IGNORE_INDEX);
    const safe = tf.where(valid, tf.cast(labels, 'int32'), tf.zeros(labels.shape, 'int32'));
    const flat = tf.add(tf.mul(tf.range(0, batch * length, 1, 'int32'), tf.scalar(vocab, 'int32')), tf.reshape(safe, [-1]));
    const picked = tf.gather(tf.reshape(tf.logSoftmax(logits), [-1]), flat);
    return tf.reshape(tf.mul(picked, tf.reshape(tf.cast(valid, 'float32'), [-1])), [batch, length]) as tf.Tensor2D;
  });
}

/**
 * Scores [n, numLabels] as a tensor (the caller owns it): sum of log p(target ids | input).
 * The encoder runs once over the n padded inputs; its output and mask are then repeated per
 * label (row i * numLabels + j holds input i with label j) for one decoder pass.
 */
export function scoreLabelsTensor(model: T5Model, prompt: tf.Tensor2D | undefined, inputIds: number[][], targets: number[][]): tf.Tensor2D {
  const { padTokenId, decoderStartTokenId } = model.config;
  const n = inputIds.length;
  const numLabels = targets.length;
  return tf.tidy(() => {
    const padded = padIds(inputIds, padTokenId);
    const input = encoderInput(model, padded.ids, padded.mask, prompt);
    const encoded = model.encode(input.inputsEmbeds, input.attentionMask);
    const rows = tf.tensor1d(Array.from({ length: n * numLabels }, (_, r) => Math.floor(r / numLabels)), 'int32');
    const repeatedTargets = Array.from({ length: n }, () => targets).flat();
    const t = padTargets(repeatedTargets, decoderStartTokenId, padTokenId);
    const hidden = model.decode(t.decoderInputIds, tf.gather(encoded, rows), tf.gather(input.attentionMask, rows));
    const perToken = targetLogProbs(model.logits(hidden), t.labels);
    return tf.reshape(tf.sum(perToken, -1), [n, numLabels]) as tf.Tensor2D;
  });
}

/** Scores [n × numLabels], row-major, read back once. Target ids already end with </s>. */
export async function scoreLabels(model: T5Model, prompt: tf.Tensor2D | undefined, inputIds: number[][], targets: number[][]): Promise<Float32Array> {
  if (inputIds.length === 0 || targets.length === 0) return new Float32Array(0);
  const scores = scoreLabelsTensor(model, prompt, inputIds, targets);
  try {
    return (await scores.data()) as Float32Array;
  } finally {
    scores.dispose();
  }
}
