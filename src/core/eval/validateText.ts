/**
 * Validation during training on a text-to-text task. Rank classification over every distinct
 * target would cost n × targets decoder rows, so instead: the teacher-forced loss of each row's own
 * target, and accuracy = exact match (token ids) of the greedy answer, for all K prompts in one
 * batched pass per chunk; the ensemble's answer is the vote. Same shape as evaluateEnsemble's.
 */
import type * as tf from '@tensorflow/tfjs';
import type { T5Model } from '../model/t5Model';
import type { EncodedExample } from '../task/task';
import { voteAnswers } from './answerVote';
import { generateAnswers } from './generateAnswers';
import { isExactMatch } from './metrics';
import { scoreRouted } from './routedScoring';

export interface TextValidation {
  members: Array<{ accuracy: number; loss: number }>;
  ensemble: { accuracy: number };
}

export async function validateText(model: T5Model, prompts: tf.Tensor2D[], examples: EncodedExample[], targets: number[][], options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<TextValidation> {
  const K = prompts.length;
  const batchSize = Math.max(1, options.batchSize ?? 32);
  const { eosTokenId } = model.config;
  // Long enough for the longest target, so every target can be matched in full.
  const maxNewTokens = Math.max(1, ...examples.map((e) => targets[e.labelIndex]!.length));
  const nll = new Array<number>(K).fill(0);
  const correct = new Array<number>(K).fill(0);
  let ensembleCorrect = 0;
  let tokens = 0;
  for (let start = 0; start < examples.length; start += batchSize) {
    const chunk = examples.slice(start, start + batchSize);
    const inputs = chunk.map((e) => e.inputIds);
    const scores = await scoreRouted(model, prompts, prompts.flatMap((_, k) => chunk.map((e) => ({ inputIds: e.inputIds, prompt: k, targets: [targets[e.labelIndex]!] }))));
    const answers = await generateAnswers(model, prompts, inputs, { maxNewTokens, ...(options.signal ? { signal: options.signal } : {}) });
    chunk.forEach((e, i) => {
      const target = targets[e.labelIndex]!;
      tokens += target.length;
      for (let k = 0; k < K; k++) {
        nll[k]! -= scores[k * chunk.length + i]![0]!;
        if (isExactMatch(answers[k]![i]!.ids, target, eosTokenId)) correct[k]!++;
      }
      const mine = answers.map((m) => m[i]!);
      const winner = voteAnswers(mine.map((a) => a.ids.join(',')), mine.map((a) => a.meanLogProb));
      if (isExactMatch(mine[winner]!.ids, target, eosTokenId)) ensembleCorrect++;
    });
  }
  const n = examples.length;
  return {
    members: nll.map((s, k) => ({ accuracy: n ? correct[k]! / n : 0, loss: tokens ? s / tokens : 0 })),
    ensemble: { accuracy: n ? ensembleCorrect / n : 0 },
  };
}
