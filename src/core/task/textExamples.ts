/** Rows of a text-to-text task → what evaluateText takes: the filled input, its ids, the target and its length. */
import type { TextExample } from '../eval/evaluateText';
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import type { LabeledExample, TaskSpec } from './task';
import { applyTemplate } from './template';
import { encodeInput } from './taskFormat';

export function encodeTextExamples(tokenizer: T5Tokenizer, task: Pick<TaskSpec, 'template' | 'maxInputTokens'>, rows: readonly LabeledExample[], promptLength: number, eosId = 1): { examples: TextExample[]; truncated: number } {
  const budget = task.maxInputTokens - promptLength;
  if (budget < 2) throw new Error(`max input length ${task.maxInputTokens} leaves no room for text after a ${promptLength}-token prompt`);
  let truncated = 0;
  const examples = rows.map((row) => {
    const input = encodeInput(tokenizer, task.template, row, budget, eosId);
    if (input.truncated) truncated++;
    return { input: applyTemplate(task.template, row.text, row.fields), inputIds: input.ids, target: row.label, targetTokens: tokenizer.encode(row.label).length };
  });
  return { examples, truncated };
}
