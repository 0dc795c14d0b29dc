/** Padded tensors for one teacher-forced training batch. */
import * as tf from '@tensorflow/tfjs';
import { IGNORE_INDEX, shiftRight } from '../model/seq2seqLoss';
import { padRows } from '../eval/padBatch';
import { paddedLength } from './lengthBuckets';

export interface Seq2SeqRow {
  inputIds: number[];
  targetIds: number[];
}

export interface TrainingBatch {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  labels: tf.Tensor2D;
  decoderInputIds: tf.Tensor2D;
  /** Real (unpadded) input tokens in the batch, for throughput. */
  inputTokens: number;
}

export function makeTrainingBatch(rows: Seq2SeqRow[], padId: number, decoderStartId: number): TrainingBatch {
  const inputLength = paddedLength(Math.max(...rows.map((r) => r.inputIds.length)));
  const targetLength = Math.max(...rows.map((r) => r.targetIds.length));
  const labels = padRows(rows.map((r) => r.targetIds), IGNORE_INDEX, targetLength);
  return {
    inputIds: tf.tensor2d(padRows(rows.map((r) => r.inputIds), padId, inputLength), [rows.length, inputLength], 'int32'),
    attentionMask: tf.tensor2d(padRows(rows.map((r) => r.inputIds.map(() => 1)), 0, inputLength), [rows.length, inputLength], 'float32'),
    labels: tf.tensor2d(labels, [rows.length, targetLength], 'int32'),
    decoderInputIds: tf.tensor2d(shiftRight(labels, decoderStartId, padId), [rows.length, targetLength], 'int32'),
    inputTokens: rows.reduce((s, r) => s + r.inputIds.length, 0),
  };
}

export function disposeBatch(b: TrainingBatch): void {
  tf.dispose([b.inputIds, b.attentionMask, b.labels, b.decoderInputIds]);
}
