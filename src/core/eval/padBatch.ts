/** Ragged id rows → rectangular tensors, the padding conventions the model and the loss expect. */
import * as tf from '@tensorflow/tfjs';
import { IGNORE_INDEX, shiftRight } from '../model/seq2seqLoss';

/** Right-pads each row with `value` to `length` (default: the longest row). */
export function padRows(rows: number[][], value: number, length = Math.max(0, ...rows.map((r) => r.length))): number[][] {
  return rows.map((r) => {
    if (r.length > length) throw new Error(`row of length ${r.length} does not fit in ${length}`);
    return [...r, ...new Array<number>(length - r.length).fill(value)];
  });
}

export interface PaddedIds {
  /** [n, maxLen] int32, padded with `padId`. */
  ids: tf.Tensor2D;
  /** [n, maxLen] float32: 1 over real tokens, 0 over padding. */
  mask: tf.Tensor2D;
}

export function padIds(rows: number[][], padId = 0): PaddedIds {
  const length = Math.max(0, ...rows.map((r) => r.length));
  return {
    ids: tf.tensor2d(padRows(rows, padId, length), [rows.length, length], 'int32'),
    mask: tf.tensor2d(padRows(rows.map((r) => r.map(() => 1)), 0, length), [rows.length, length], 'float32'),
  };
}

export interface PaddedTargets {
  /** [n, maxLen] int32, padded with IGNORE_INDEX (-100) so padding never counts in a loss or a score. */
  labels: tf.Tensor2D;
  /** [n, maxLen] int32: the labels shifted right behind `startId` (teacher forcing), padding → `padId`. */
  decoderInputIds: tf.Tensor2D;
}

export function padTargets(rows: number[][], startId: number, padId = 0): PaddedTargets {
  const labels = padRows(rows, IGNORE_INDEX);
  const shape: [number, number] = [rows.length, labels[0]?.length ?? 0];
  return {
    labels: tf.tensor2d(labels, shape, 'int32'),
    decoderInputIds: tf.tensor2d(shiftRight(labels, startId, padId), shape, 'int32'),
  };
}
