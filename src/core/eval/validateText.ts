/**
 * Validation during training on a text-to-text task. Rank classification over every distinct
 * target would cost n × targets decoder rows, so instead: the teacher-forced loss of each row's own
 * target, and the greedy answer read as text and compared with the target text as evaluation does
 * (SQuAD's normalisation: exact match is the accuracy, token F1 beside it), for all K prompts in
 * one batched pass per chunk; the ensemble's answer is the vote over normalised answers. Same
 * shape as evaluateEnsemble's.
 */
import type * as tf from '@tensorflow/tfjs';
import type { T5Model } from '../model/t5Model';
import type { EncodedExample } from '../task/task';
import { voteAnswers } from './answerVote';
import { generateAnswers } from './generateAnswers';
import { scoreRouted } from './routedScoring';
import { exactMatch, normalizeAnswer, tokenF1 } from './textMetrics';

export interface TextValidationOptions {
  batchSize?: number;
  signal?: AbortSignal;
  /** Generated ids → text (the tokenizer's decode). */
  decode(ids: number[]): string;
  /** The text of each label's target, as written in the data: what answers are compared with. */
  targetTexts: readonly string[];
}

export interface TextValidation {
  /** accuracy: exact match after normalisation; f1: mean token F1; loss: mean token loss of the targets. */
  members: Array<{ accuracy: number; f1: number; loss: number }>;
  ensemble: { accuracy: number; f1: number };
}

export async function validateText(model: T5Model, prompts: tf.Tensor2D[], examples: EncodedExample[], targets: number[][], options: TextValidationOptions): Promise<TextValidation> {
  const K = prompts.length;
  const batchSize = Math.max(1, options.batchSize ?? 32);
  const { decode, targetTexts } = options;
  if (targetTexts.length !== targets.length) throw new Error(`${targets.length} targets but ${targetTexts.length} target texts`);
  // Long enough for the longest target, so every target can be matched in full.
  const maxNewTokens = Math.max(1, ...examples.map((e) => targets[e.labelIndex]!.length));
  const nll = new Array<number>(K).fill(0);
  const correct = new Array<number>(K).fill(0);
  const f1 = new Array<number>(K).fill(0);
  const ensemble = { correct: 0, f1: 0 };
  let tokens = 0;
  for (let start = 0; start < examples.length; start += batchSize) {
    const chunk = examples.slice(start, start + batchSize);
    const inputs = chunk.map((e) => e.inputIds);
    const scores = await scoreRouted(model, prompts, prompts.flatMap((_, k) => chunk.map((e) => ({ inputIds: e.inputIds, prompt: k, targets: [targets[e.labelIndex]!] }))));
    const answers = await generateAnswers(model, prompts, inputs, { maxNewTokens, ...(options.signal ? { signal: options.signal } : {}) });
    chunk.forEach((e, i) => {
      tokens += targets[e.labelIndex]!.length;
      const target = targetTexts[e.labelIndex]!;
      const texts = answers.map((m) => decode(m[i]!.ids).trim());
      texts.forEach((text, k) => {
        nll[k]! -= scores[k * chunk.length + i]![0]!;
        if (exactMatch(text, target)) correct[k]!++;
        f1[k]! += tokenF1(text, target);
      });
      const winner = texts[voteAnswers(texts.map(normalizeAnswer), answers.map((m) => m[i]!.meanLogProb))]!;
      if (exactMatch(winner, target)) ensemble.correct++;
      ensemble.f1 += tokenF1(winner, target);
    });
  }
  const n = examples.length;
  const share = (x: number) => (n ? x / n : 0);
  return {
    members: nll.map((s, k) => ({ accuracy: share(correct[k]!), f1: share(f1[k]!), loss: tokens ? s / tokens : 0 })),
    ensemble: { accuracy: share(ensemble.correct), f1: share(ensemble.f1) },
  };
}
