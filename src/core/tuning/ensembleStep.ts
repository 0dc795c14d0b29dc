/**
 * One optimisation step of K prompts in the same passes through the frozen model: each row is
 * routed to its member's prompt, and the objective is the sum of the members' mean token losses,
 * so each prompt's gradient is exactly what training it alone would give. Only the prompts are
 * differentiated. A batch over `maxTokensPerPass` runs as several passes whose gradients add up
 * to the whole batch's (microBatches.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { targetLogProbs } from '../eval/scoreLabels';
import { routedEncoderInput } from '../model/softPromptInput';
import type { T5Model } from '../model/t5Model';
import { microBatches } from './microBatches';
import { disposeBatch, makeTrainingBatch } from './trainingBatch';

export interface StepRow {
  inputIds: number[];
  targetIds: number[];
  /** Which prompt this row trains. */
  member: number;
}

/** The caller owns the returned per-member losses (still on the device: nothing is read back here). */
export function ensembleStep(
  model: T5Model,
  variables: tf.Variable<tf.Rank.R2>[],
  rows: StepRow[],
  optimizer: tf.Optimizer,
  options: { dropoutRate: number; maxTokensPerPass: number },
): { memberLosses: tf.Tensor1D; inputTokens: number } {
  const K = variables.length;
  const { padTokenId, decoderStartTokenId } = model.config;
  const promptLength = variables[0]!.shape[0];
  // Each member's loss is its mean over the target tokens of the whole batch, whatever the passes.
  const memberTokens = tf.tensor1d(variables.map((_, k) => rows.reduce((s, r) => s + (r.member === k ? r.targetIds.length : 0), 0)));
  let gradSums: tf.Tensor[] | undefined;
  let memberLosses: tf.Tensor1D | undefined;
  let inputTokens = 0;
  for (const pass of microBatches(rows, promptLength, options.maxTokensPerPass)) {
    const batch = makeTrainingBatch(pass, padTokenId, decoderStartTokenId);
    const memberIndex = tf.tensor1d(pass.map((r) => r.member), 'int32');
    let passLosses: tf.Tensor1D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const prompts = K === 1 ? (tf.expandDims(variables[0]!, 0) as tf.Tensor3D) : (tf.stack(variables) as tf.Tensor3D);
      const input = routedEncoderInput(model, batch.inputIds, batch.attentionMask, prompts, memberIndex);
      const logits = model.forward(input.inputsEmbeds, input.attentionMask, batch.decoderInputIds, { dropoutRate: options.dropoutRate });
      const rowNll = tf.neg(tf.sum(targetLogProbs(logits, batch.labels), -1));
      passLosses = tf.keep(tf.div(tf.unsortedSegmentSum(rowNll, memberIndex, K), memberTokens)) as tf.Tensor1D;
      return tf.sum(passLosses) as tf.Scalar;
    }, variables);
    const passGrads = variables.map((v) => grads[v.name]!);
    if (gradSums) {
      const previous = gradSums;
      gradSums = previous.map((g, i) => tf.add(g, passGrads[i]!));
      tf.dispose([...previous, ...passGrads]);
      const total = tf.add(memberLosses!, passLosses!) as tf.Tensor1D;
      tf.dispose([memberLosses!, passLosses!]);
      memberLosses = total;
    } else {
      gradSums = passGrads;
      memberLosses = passLosses;
    }
    inputTokens += batch.inputTokens;
    tf.dispose([value, memberIndex]);
    disposeBatch(batch);
  }
  optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: gradSums![i]! })));
  tf.dispose([memberTokens, ...gradSums!]);
  return { memberLosses: memberLosses!, inputTokens };
}
