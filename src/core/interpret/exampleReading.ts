/**
 * What the model reads of one example under a prompt: the label it predicts, the share of
 * encoder self-attention each layer puts on the prompt, and each prompt token's importance for
 * that prediction. The example goes through the prompt's own template and truncation.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LoadedT5 } from '../model/loadT5';
import type { TaskSpec } from '../task/task';
import { encodeExamples, encodeTargets } from '../task/taskFormat';
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import { promptAttention, type PromptAttention } from './promptAttention';
import { promptTokenImportance } from './tokenImportance';

export interface ExampleReading {
  text: string;
  /** The encoder's input pieces after the template and truncation (the prompt not included). */
  tokens: string[];
  /** Label texts, in the prompt's order. */
  labels: string[];
  /** Per label: summed log-probability under the full prompt. */
  labelScores: number[];
  predicted: number;
  attention: PromptAttention;
  /** Per prompt token: score(predicted | full) − score(predicted | prompt without the token). */
  importance: number[];
  /** Per prompt token: the label predicted without it. */
  predictedWithout: number[];
}

export async function readExample(loaded: LoadedT5, tokenizer: T5Tokenizer, prompt: tf.Tensor2D, task: TaskSpec, text: string): Promise<ExampleReading> {
  if (task.targetTexts.length === 0) throw new Error('the prompt names no labels, so there is no prediction to explain');
  const encoded = encodeExamples(tokenizer, task, [{ text, label: task.labels[0]! }], prompt.shape[0], loaded.config.eosTokenId);
  const inputIds = encoded.examples[0]!.inputIds;
  const attention = await promptAttention(loaded.model, prompt, inputIds);
  const importance = await promptTokenImportance(loaded.model, prompt, inputIds, encodeTargets(tokenizer, task));
  return {
    text,
    tokens: inputIds.map((id) => tokenizer.token(id) ?? `[${id}]`),
    labels: task.targetTexts,
    labelScores: importance.labelScores,
    predicted: importance.predicted,
    attention,
    importance: importance.importance,
    predictedWithout: importance.predictedWithout,
  };
}
