/**
 * Answers for a text-to-text task from one prompt, an ensemble, or none (the frozen model with its
 * template alone): chunks of inputs are generated under all prompts in one batched pass, decoded,
 * and the ensemble's answer is the vote over normalised answers (beside it, the most confident one).
 */
import type * as tf from '@tensorflow/tfjs';
import type { T5Model } from '../model/t5Model';
import { combineAnswers } from './answerVote';
import { generateAnswers } from './generateAnswers';

/** Longest answer generated unless the caller says otherwise, in tokens (</s> included). */
export const DEFAULT_MAX_ANSWER_TOKENS = 32;

export interface TextPredictionOptions {
  maxNewTokens?: number;
  /** Inputs per batched pass (each is K rows). Default 16. */
  batchSize?: number;
  signal?: AbortSignal;
  /** Called after each chunk with how many inputs are done. */
  onProgress?(done: number, total: number): void;
}

export interface TextPrediction {
  /** The answer: the only member's, or the ensemble's vote. */
  answer: string;
  /** The answer of the most confident member (the highest mean log-probability). */
  confident: string;
  /** Each member's answer, in prompt order (one entry without prompts). */
  members: string[];
  /** Each member's mean token log-probability. */
  confidences: number[];
  /** Members whose answer hit the length limit before </s>. */
  cut: number;
}

export async function predictText(model: T5Model, decode: (ids: number[]) => string, prompts: tf.Tensor2D[], inputIds: number[][], options: TextPredictionOptions = {}): Promise<TextPrediction[]> {
  const maxNewTokens = options.maxNewTokens ?? DEFAULT_MAX_ANSWER_TOKENS;
  const batchSize = Math.max(1, options.batchSize ?? 16);
  const out: TextPrediction[] = [];
  for (let start = 0; start < inputIds.length; start += batchSize) {
    const chunk = inputIds.slice(start, start + batchSize);
    const generated = await generateAnswers(model, prompts, chunk, { maxNewTokens, ...(options.signal ? { signal: options.signal } : {}) });
    chunk.forEach((_, i) => {
      const answers = generated.map((m) => m[i]!);
      const members = answers.map((a) => decode(a.ids).trim());
      const confidences = answers.map((a) => a.meanLogProb);
      out.push({ ...combineAnswers(members, confidences), members, confidences, cut: answers.filter((a) => !a.finished).length });
    });
    options.onProgress?.(out.length, inputIds.length);
  }
  return out;
}
