/** Teacher forcing helpers and the loss, as Hugging Face's T5ForConditionalGeneration defines them. */
import * as tf from '@tensorflow/tfjs';

/** Label value that marks padding: excluded from the loss. */
export const IGNORE_INDEX = -100;

/** Decoder input = labels shifted right, starting with `startId`; padding (-100) becomes `padId`. */
export function shiftRight(labels: number[][], startId: number, padId: number): number[][] {
  return labels.map((row) => [startId, ...row.slice(0, -1)].map((id) => (id === IGNORE_INDEX ? padId : id)));
}

/** Mean cross-entropy over every label token that is not IGNORE_INDEX. */
export function seq2seqLoss(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const vocab = logits.shape[2];
    const valid = tf.notEqual(labels, IGNORE_INDEX);
    const safeLabels = tf.where(valid, labels, tf.zerosLike(labels));
    const logProbs = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(safeLabels, 'int32'), vocab)), -1);
    const weights = tf.cast(valid, 'float32');
    return tf.neg(tf.div(tf.sum(tf.mul(picked, weights)), tf.maximum(tf.sum(weights), 1))) as tf.Scalar;
  });
}
