/**
 * Several prompts for one task evaluated together, reported as the paper's Table 3 does: each
 * prompt's accuracy, their mean and best, and the ensemble's (majority vote). Every chunk of
 * examples is scored under all K prompts in a single batched pass.
 */
import type * as tf from '@tensorflow/tfjs';
import type { T5Model } from '../model/t5Model';
import type { EncodedExample } from '../task/task';
import { ensembleVote } from './ensembleVote';
import { classificationMetrics, type ClassificationMetrics } from './metrics';
import { scoreEnsemble } from './routedScoring';

export interface MemberResult {
  accuracy: number;
  /** Mean token cross-entropy of the true targets under this prompt. */
  loss: number;
}

export interface EnsembleEvaluation {
  n: number;
  members: MemberResult[];
  meanAccuracy: number;
  bestAccuracy: number;
  ensemble: { accuracy: number; meanProbabilityAccuracy: number; predictions: number[]; metrics: ClassificationMetrics };
  /** votes[i][k]: prompt k's answer for example i. */
  votes: number[][];
}

export async function evaluateEnsemble(model: T5Model, prompts: tf.Tensor2D[], examples: EncodedExample[], targets: number[][], options: { batchSize?: number } = {}): Promise<EnsembleEvaluation> {
  const batchSize = options.batchSize ?? 32;
  const K = prompts.length;
  const L = targets.length;
  const nll = new Array<number>(K).fill(0);
  const correct = new Array<number>(K).fill(0);
  const majority: number[] = [];
  const meanProbability: number[] = [];
  const votes: number[][] = [];
  let tokens = 0;
  for (let start = 0; start < examples.length; start += batchSize) {
    const chunk = examples.slice(start, start + batchSize);
    const scores = await scoreEnsemble(model, prompts, chunk.map((e) => e.inputIds), targets);
    const decision = ensembleVote(scores, K, chunk.length, L);
    chunk.forEach((e, i) => {
      tokens += targets[e.labelIndex]!.length;
      for (let k = 0; k < K; k++) {
        nll[k]! -= scores[(k * chunk.length + i) * L + e.labelIndex]!;
        if (decision.votes[i]![k] === e.labelIndex) correct[k]!++;
      }
    });
    majority.push(...decision.majority);
    meanProbability.push(...decision.meanProbability);
    votes.push(...decision.votes);
  }
  const n = examples.length;
  const truth = examples.map((e) => e.labelIndex);
  const members = nll.map((s, k) => ({ accuracy: n ? correct[k]! / n : 0, loss: tokens ? s / tokens : 0 }));
  const accuracyOf = (predicted: number[]) => (n ? predicted.filter((p, i) => p === truth[i]).length / n : 0);
  return {
    n,
    members,
    meanAccuracy: members.reduce((s, m) => s + m.accuracy, 0) / Math.max(K, 1),
    bestAccuracy: Math.max(...members.map((m) => m.accuracy)),
    ensemble: { accuracy: accuracyOf(majority), meanProbabilityAccuracy: accuracyOf(meanProbability), predictions: majority, metrics: classificationMetrics(truth, majority, L) },
    votes,
  };
}
