/**
 * Each prompt token's importance for one example: how much the score (summed log-probability) of
 * the label the full prompt predicts falls when that token is removed from the prompt. All P
 * ablated prompts run as routed rows of a few batched passes (the eval code's mixed-prompt scoring,
 * which left-pads shorter prompts so every real token keeps its relative positions).
 */
import * as tf from '@tensorflow/tfjs';
import { scoreRouted } from '../eval/routedScoring';
import { scoreLabels } from '../eval/scoreLabels';
import type { T5Model } from '../model/t5Model';

export interface PromptTokenImportance {
  /** Per label: its score under the full prompt. */
  labelScores: number[];
  /** The label the full prompt predicts (highest score). */
  predicted: number;
  /** Per prompt token: score(predicted | full) − score(predicted | without the token). Positive: the token helps. */
  importance: number[];
  /** Per prompt token: the predicted label after removing it (differs where the token decides the answer). */
  predictedWithout: number[];
}

/** Ablated prompts per batched pass: bounds memory with long prompts on a large model. */
const PROMPTS_PER_PASS = 16;

function argmax(xs: number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}

/** `inputIds`: the example's encoder ids (ending in </s>); `targets`: each label's ids (ending in </s>). */
export async function promptTokenImportance(model: T5Model, prompt: tf.Tensor2D, inputIds: number[], targets: number[][]): Promise<PromptTokenImportance> {
  const P = prompt.shape[0];
  const full = Array.from(await scoreLabels(model, prompt, [inputIds], targets));
  const predicted = argmax(full);
  const without: number[][] = [];
  if (P === 1) {
    without.push(Array.from(await scoreLabels(model, undefined, [inputIds], targets)));
  } else {
    for (let start = 0; start < P; start += PROMPTS_PER_PASS) {
      const removed = Array.from({ length: Math.min(PROMPTS_PER_PASS, P - start) }, (_, j) => start + j);
      const prompts = removed.map((i) => tf.tidy(() => (i === 0 ? tf.slice(prompt, [1, 0], [-1, -1]) : i === P - 1 ? tf.slice(prompt, [0, 0], [P - 1, -1]) : tf.concat([tf.slice(prompt, [0, 0], [i, -1]), tf.slice(prompt, [i + 1, 0], [-1, -1])], 0))));
      try {
        const scores = await scoreRouted(model, prompts, prompts.map((_, k) => ({ inputIds, prompt: k, targets })));
        without.push(...scores.map((s) => Array.from(s)));
      } finally {
        tf.dispose(prompts);
      }
    }
  }
  return {
    labelScores: full,
    predicted,
    importance: without.map((s) => full[predicted]! - s[predicted]!),
    predictedWithout: without.map(argmax),
  };
}
