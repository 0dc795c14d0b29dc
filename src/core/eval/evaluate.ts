/**
 * Evaluate a prompt on labelled examples: rank-classification accuracy and metrics, the
 * teacher-forced loss of the true targets, and optionally free (greedy) generation.
 */
import * as tf from '@tensorflow/tfjs';
import { greedyDecode } from '../model/greedyDecode';
import { encoderInput } from '../model/softPromptInput';
import type { T5Model } from '../model/t5Model';
import type { EncodedExample } from '../task/task';
import { answerIds, classificationMetrics, isExactMatch, type ClassificationMetrics } from './metrics';
import { padIds } from './padBatch';
import { scoreLabels } from './scoreLabels';

export interface EvaluateOptions {
  /** Examples per forward pass; the decoder sees batchSize × numLabels rows. Default 32. */
  batchSize?: number;
  /** Also greedy-decode each example and report exact match against its true target. */
  generate?: boolean;
}

export interface EvaluationResult {
  /** Share of examples whose highest-scoring label is the true one. */
  accuracy: number;
  /** Mean token cross-entropy of the true targets (the seq2seq training loss over the whole set). */
  loss: number;
  n: number;
  /** Argmax label index per example. */
  predictions: number[];
  /** [n × numLabels] row-major summed log-probabilities. */
  scores: Float32Array;
  metrics: ClassificationMetrics;
  /** With `generate`: share of generations equal to the true target up to </s>. */
  exactMatch?: number;
  /** With `generate`: each generation up to and including its first </s>. */
  generated?: number[][];
}

function argmax(xs: Float32Array, from: number, count: number): number {
  let best = 0;
  for (let j = 1; j < count; j++) if (xs[from + j]! > xs[from + best]!) best = j;
  return best;
}

/** Greedy answers for one batch, as many steps as the longest target plus one. */
async function generateBatch(model: T5Model, prompt: tf.Tensor2D | undefined, inputIds: number[][], maxNewTokens: number): Promise<number[][]> {
  const [inputsEmbeds, attentionMask] = tf.tidy(() => {
    const padded = padIds(inputIds, model.config.padTokenId);
    const input = encoderInput(model, padded.ids, padded.mask, prompt);
    return [input.inputsEmbeds, input.attentionMask];
  });
  try {
    return await greedyDecode(model, { inputsEmbeds, attentionMask }, maxNewTokens);
  } finally {
    tf.dispose([inputsEmbeds, attentionMask]);
  }
}

export async function evaluate(
  model: T5Model,
  prompt: tf.Tensor2D | undefined,
  examples: EncodedExample[],
  targets: number[][],
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const batchSize = Math.max(1, options.batchSize ?? 32);
  const numLabels = targets.length;
  const { eosTokenId } = model.config;
  const maxNewTokens = Math.max(0, ...targets.map((t) => t.length)) + 1;
  const n = examples.length;
  const scores = new Float32Array(n * numLabels);
  const generated: number[][] = [];
  // Awaiting each batch's scores before the next keeps at most one batch's activations alive.
  for (let start = 0; start < n; start += batchSize) {
    const inputIds = examples.slice(start, start + batchSize).map((e) => e.inputIds);
    scores.set(await scoreLabels(model, prompt, inputIds, targets), start * numLabels);
    if (options.generate) generated.push(...(await generateBatch(model, prompt, inputIds, maxNewTokens)));
  }

  const truth = examples.map((e) => e.labelIndex);
  const predictions = examples.map((_, i) => argmax(scores, i * numLabels, numLabels));
  const metrics = classificationMetrics(truth, predictions, numLabels); // also checks label indices
  // Summed log-probs of the true targets over their token count: the seq2seq mean token loss.
  let logProb = 0;
  let tokens = 0;
  truth.forEach((t, i) => {
    logProb += scores[i * numLabels + t]!;
    tokens += targets[t]!.length;
  });
  const result: EvaluationResult = { accuracy: metrics.accuracy, loss: tokens > 0 ? -logProb / tokens : 0, n, predictions, scores, metrics };
  if (options.generate) {
    result.generated = generated.map((g) => answerIds(g, eosTokenId));
    result.exactMatch = n > 0 ? generated.filter((g, i) => isExactMatch(g, targets[truth[i]!]!, eosTokenId)).length / n : 0;
  }
  return result;
}
