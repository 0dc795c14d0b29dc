/**
 * Greedy generation of answers for text-to-text tasks, for K prompts at once: every input under
 * every prompt is one row of a single batch (K × n rows), so an ensemble costs one pass per step.
 * With no prompt at all it generates from the frozen model alone (the prompt-design baseline).
 */
import * as tf from '@tensorflow/tfjs';
import { encoderInput, routedEncoderInput, stackPrompts, type EncoderInput } from '../model/softPromptInput';
import type { T5Model } from '../model/t5Model';
import { padIds } from './padBatch';

export interface GenerationOptions {
  /** Tokens generated at most per answer, </s> included: generation always ends. */
  maxNewTokens: number;
  /** Checked between steps: an aborted signal stops generation with the signal's reason. */
  signal?: AbortSignal;
}

export interface GeneratedAnswer {
  /** The generated ids up to and including </s>, or maxNewTokens ids when it never came. */
  ids: number[];
  /** Mean log-probability of those tokens under the model: the answer's confidence. */
  meanLogProb: number;
  /** False when the answer was cut at maxNewTokens before </s>. */
  finished: boolean;
}

function encoderInputs(model: T5Model, prompts: tf.Tensor2D[], inputIds: number[][]): EncoderInput {
  const [inputsEmbeds, attentionMask] = tf.tidy(() => {
    const pick = (e: EncoderInput) => [e.inputsEmbeds, e.attentionMask] as [tf.Tensor3D, tf.Tensor2D];
    if (prompts.length === 0) {
      const padded = padIds(inputIds, model.config.padTokenId);
      return pick(encoderInput(model, padded.ids, padded.mask));
    }
    const rows = prompts.flatMap(() => inputIds);
    const padded = padIds(rows, model.config.padTokenId);
    const stacked = stackPrompts(prompts);
    const index = tf.tensor1d(prompts.flatMap((_, k) => inputIds.map(() => k)), 'int32');
    return pick(routedEncoderInput(model, padded.ids, padded.mask, stacked.prompts, index, stacked.mask));
  });
  return { inputsEmbeds, attentionMask };
}

/** answers[k][i]: input i under prompt k (one list, k = 0, without prompts). */
export async function generateAnswers(model: T5Model, prompts: tf.Tensor2D[], inputIds: number[][], options: GenerationOptions): Promise<GeneratedAnswer[][]> {
  const members = Math.max(prompts.length, 1);
  const n = inputIds.length;
  if (n === 0) return Array.from({ length: members }, () => []);
  options.signal?.throwIfAborted();
  const { decoderStartTokenId, eosTokenId, padTokenId } = model.config;
  const batch = members * n;
  const input = encoderInputs(model, prompts, inputIds);
  const encoded = tf.tidy(() => model.encode(input.inputsEmbeds, input.attentionMask));
  const sequences: number[][] = Array.from({ length: batch }, () => [decoderStartTokenId]);
  const logProb = new Array<number>(batch).fill(0);
  const done = new Array<boolean>(batch).fill(false);
  try {
    for (let step = 0; step < options.maxNewTokens && !done.every(Boolean); step++) {
      options.signal?.throwIfAborted();
      // One small read per step: each row's argmax and its log-probability ([batch, 2]).
      const picked = tf.tidy(() => {
        const ids = tf.tensor2d(sequences, [batch, step + 1], 'int32');
        const hidden = model.decode(ids, encoded, input.attentionMask);
        const last = tf.slice(hidden, [0, step, 0], [batch, 1, -1]) as tf.Tensor3D;
        const logProbs = tf.logSoftmax(tf.reshape(model.logits(last), [batch, -1]));
        return tf.stack([tf.cast(tf.argMax(logProbs, -1), 'float32'), tf.max(logProbs, -1)], 1);
      });
      const values = await picked.data();
      picked.dispose();
      for (let r = 0; r < batch; r++) {
        if (done[r]) {
          sequences[r]!.push(padTokenId);
          continue;
        }
        const id = values[2 * r]!;
        sequences[r]!.push(id);
        logProb[r]! += values[2 * r + 1]!;
        if (id === eosTokenId) done[r] = true;
      }
    }
  } finally {
    tf.dispose([encoded, input.inputsEmbeds, input.attentionMask]);
  }
  return Array.from({ length: members }, (_, k) =>
    Array.from({ length: n }, (__, i) => {
      const r = k * n + i;
      const generated = sequences[r]!.slice(1);
      const end = generated.indexOf(eosTokenId);
      const ids = end < 0 ? generated : generated.slice(0, end + 1);
      return { ids, meanLogProb: ids.length ? logProb[r]! / ids.length : 0, finished: end >= 0 };
    }),
  );
}
