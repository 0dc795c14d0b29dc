/**
 * Rank classification for batches that mix prompts: row i is scored under its own prompt
 * against its own candidate targets, all in one encoder pass and one decoder pass. This is what
 * makes a K-prompt ensemble cost one batched forward pass, and lets prompts of different tasks
 * (different label sets, different prompt lengths) share a batch.
 */
import * as tf from '@tensorflow/tfjs';
import { routedEncoderInput, stackPrompts } from '../model/softPromptInput';
import type { T5Model } from '../model/t5Model';
import { padIds, padTargets } from './padBatch';
import { targetLogProbs } from './scoreLabels';

export interface RoutedRow {
  inputIds: number[];
  /** Index into the prompt list. */
  prompt: number;
  /** Candidate target ids (each ending in </s>) this row is scored against. */
  targets: number[][];
}

/** Flat scores, row after row, each row's candidates in order; the caller owns the tensor. */
export function scoreRoutedTensor(model: T5Model, prompts: tf.Tensor2D[], rows: RoutedRow[]): tf.Tensor1D {
  const { padTokenId, decoderStartTokenId } = model.config;
  return tf.tidy(() => {
    const stacked = stackPrompts(prompts);
    const padded = padIds(rows.map((r) => r.inputIds), padTokenId);
    const index = tf.tensor1d(rows.map((r) => r.prompt), 'int32');
    const input = routedEncoderInput(model, padded.ids, padded.mask, stacked.prompts, index, stacked.mask);
    const encoded = model.encode(input.inputsEmbeds, input.attentionMask);
    const owner = tf.tensor1d(rows.flatMap((r, i) => r.targets.map(() => i)), 'int32');
    const t = padTargets(rows.flatMap((r) => r.targets), decoderStartTokenId, padTokenId);
    const hidden = model.decode(t.decoderInputIds, tf.gather(encoded, owner), tf.gather(input.attentionMask, owner));
    return tf.sum(targetLogProbs(model.logits(hidden), t.labels), -1) as tf.Tensor1D;
  });
}

/** Each row's candidate scores (summed log-probabilities), read back once. */
export async function scoreRouted(model: T5Model, prompts: tf.Tensor2D[], rows: RoutedRow[]): Promise<Float32Array[]> {
  if (rows.length === 0) return [];
  const flat = scoreRoutedTensor(model, prompts, rows);
  const values = (await flat.data()) as Float32Array;
  flat.dispose();
  const out: Float32Array[] = [];
  let offset = 0;
  for (const r of rows) {
    out.push(values.slice(offset, offset + r.targets.length));
    offset += r.targets.length;
  }
  return out;
}

/**
 * Every input under every prompt in ONE pass (batch = K × n): scores [K, n, numLabels] row-major.
 */
export async function scoreEnsemble(model: T5Model, prompts: tf.Tensor2D[], inputIds: number[][], targets: number[][]): Promise<Float32Array> {
  const rows = prompts.flatMap((_, k) => inputIds.map((ids) => ({ inputIds: ids, prompt: k, targets })));
  const flat = scoreRoutedTensor(model, prompts, rows);
  try {
    return (await flat.data()) as Float32Array;
  } finally {
    flat.dispose();
  }
}
