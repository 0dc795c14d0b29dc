/**
 * Labels for unlabelled inputs from one prompt or an ensemble: every chunk of rows is scored under
 * all prompts in one batched pass; the answer is the majority vote (ties broken by the mean
 * log-likelihood). The studio's worker and the CLI both predict through this.
 */
import type * as tf from '@tensorflow/tfjs';
import type { T5Model } from '../model/t5Model';
import { ensembleVote } from './ensembleVote';
import { scoreEnsemble } from './routedScoring';

export interface Prediction {
  /** Index of the chosen label. */
  answer: number;
  /** Each prompt's own answer (label index), in prompt order. */
  votes: number[];
  /** Per label: the prompts' mean of its softmax over the label scores. */
  probabilities: number[];
}

/** Rows per batched pass: bounds memory on the GPU and keeps the tab responsive between chunks. */
export const PREDICT_CHUNK = 32;

export async function predictEnsemble(model: T5Model, prompts: tf.Tensor2D[], inputs: number[][], targets: number[][]): Promise<Prediction[]> {
  const K = prompts.length;
  const L = targets.length;
  const results: Prediction[] = [];
  for (let start = 0; start < inputs.length; start += PREDICT_CHUNK) {
    const chunk = inputs.slice(start, start + PREDICT_CHUNK);
    const scores = await scoreEnsemble(model, prompts, chunk, targets);
    const decision = ensembleVote(scores, K, chunk.length, L);
    chunk.forEach((_, i) => {
      const probabilities = new Array<number>(L).fill(0);
      for (let k = 0; k < K; k++) {
        const row = Array.from(scores.subarray((k * chunk.length + i) * L, (k * chunk.length + i + 1) * L));
        const max = Math.max(...row);
        const z = row.reduce((s, x) => s + Math.exp(x - max), 0);
        row.forEach((x, l) => (probabilities[l]! += Math.exp(x - max) / z / K));
      }
      results.push({ answer: decision.majority[i]!, votes: decision.votes[i]!, probabilities });
    });
  }
  return results;
}
