/**
 * Evaluating prompts on a text-to-text task: answers are generated greedily (bounded, stopped at
 * </s>, cancellable) and scored by SQuAD's exact match and token F1. Reported as for
 * classification: each member, their mean and best, and the ensemble's vote, with the most
 * confident answer beside it; plus a table of examples and notes on targets the length limit
 * cannot reach.
 */
import type * as tf from '@tensorflow/tfjs';
import type { T5Model } from '../model/t5Model';
import { DEFAULT_MAX_ANSWER_TOKENS, predictText, type TextPredictionOptions } from './predictText';
import { scoreTextAnswers } from './textEnsembleScores';
import type { TextScores } from './textMetrics';

export interface TextExample {
  /** The input as a person reads it (the filled template). */
  input: string;
  inputIds: number[];
  target: string;
  /** The target's token count with </s>, to check against the answer length limit. */
  targetTokens: number;
}

export interface TextExampleRow {
  input: string;
  target: string;
  generated: string;
  /** Each member's answer, for an ensemble. */
  members?: string[];
}

export interface TextEvaluation {
  n: number;
  /** Each prompt's scores (one entry for a single prompt or none). */
  members: TextScores[];
  mean: TextScores;
  best: TextScores;
  /** The ensemble's vote (the only member's scores for one prompt). */
  ensemble: TextScores;
  /** The most confident member's answer each time (the only member's scores for one prompt). */
  confident: TextScores;
  /** The first `examplesShown` examples. */
  examples: TextExampleRow[];
  /** Every answer, in example order. */
  answers: string[];
  /** Targets longer than the answer limit: no generation can match them in full. */
  longTargets: number;
  /** Sentences about limits that affect the scores (never silent). */
  notes: string[];
}

export interface TextEvaluationOptions extends TextPredictionOptions {
  examplesShown?: number;
}

export async function evaluateText(model: T5Model, decode: (ids: number[]) => string, prompts: tf.Tensor2D[], examples: TextExample[], options: TextEvaluationOptions = {}): Promise<TextEvaluation> {
  const maxNewTokens = options.maxNewTokens ?? DEFAULT_MAX_ANSWER_TOKENS;
  const predictions = await predictText(model, decode, prompts, examples.map((e) => e.inputIds), { ...options, maxNewTokens });
  const targets = examples.map((e) => e.target);
  const K = Math.max(prompts.length, 1);
  const scores = scoreTextAnswers(predictions, targets);
  const longTargets = examples.filter((e) => e.targetTokens > maxNewTokens).length;
  const cut = predictions.filter((p) => p.cut > 0).length;
  const notes: string[] = [];
  if (longTargets > 0) {
    notes.push(`${longTargets} of ${examples.length} targets are longer than the ${maxNewTokens}-token answer limit, so their answers are cut there and cannot match in full; raise the answer length to score them fairly`);
  }
  if (cut > 0) notes.push(`${cut} answers reached the ${maxNewTokens}-token limit before ending and were cut there`);
  const shown = options.examplesShown ?? 20;
  return {
    n: examples.length,
    ...scores,
    examples: examples.slice(0, shown).map((e, i) => ({ input: e.input, target: e.target, generated: predictions[i]!.answer, ...(K > 1 ? { members: predictions[i]!.members } : {}) })),
    answers: predictions.map((p) => p.answer),
    longTargets,
    notes,
  };
}
