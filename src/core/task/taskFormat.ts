/** Turning rows into model inputs: template, tokenisation, truncation (counted, never silent). */
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import { applyTemplate } from './template';
import { DEFAULT_MAX_INPUT_TOKENS, DEFAULT_TEMPLATE, type EncodedExample, type LabeledExample, type TaskSpec } from './task';

/** A task whose labels are the distinct label values, in order of first appearance, each its own target text. */
export function taskFromExamples(examples: LabeledExample[], overrides: Partial<TaskSpec> & { rename?: Record<string, string> } = {}): TaskSpec {
  const labels = overrides.labels ?? [...new Set(examples.map((e) => e.label))];
  return {
    labels,
    targetTexts: overrides.targetTexts ?? labels.map((l) => overrides.rename?.[l] ?? l),
    template: overrides.template ?? DEFAULT_TEMPLATE,
    maxInputTokens: overrides.maxInputTokens ?? DEFAULT_MAX_INPUT_TOKENS,
    ...(overrides.kind === 'text' ? { kind: 'text' as const } : {}),
  };
}

export { applyTemplate } from './template';

/** Target ids per label: the target text's pieces followed by </s>. */
export function encodeTargets(tokenizer: T5Tokenizer, task: TaskSpec): number[][] {
  return task.targetTexts.map((t) => tokenizer.encode(t));
}

/** One row's encoder ids: the filled template, cut to `budget` tokens (ending in </s>) when longer. */
export function encodeInput(tokenizer: T5Tokenizer, template: string, row: Pick<LabeledExample, 'text' | 'fields'>, budget: number, eosId = 1): { ids: number[]; truncated: boolean } {
  const ids = tokenizer.encode(applyTemplate(template, row.text, row.fields));
  return ids.length > budget ? { ids: [...ids.slice(0, budget - 1), eosId], truncated: true } : { ids, truncated: false };
}

export interface EncodedDataset {
  examples: EncodedExample[];
  /** How many inputs were cut to fit maxInputTokens - promptLength. */
  truncated: number;
  /** Rows whose label is not one of the task's labels (skipped). */
  unknownLabel: number;
}

export function encodeExamples(tokenizer: T5Tokenizer, task: TaskSpec, rows: LabeledExample[], promptLength: number, eosId = 1): EncodedDataset {
  const budget = task.maxInputTokens - promptLength;
  if (budget < 2) throw new Error(`max input length ${task.maxInputTokens} leaves no room for text after a ${promptLength}-token prompt`);
  const index = new Map(task.labels.map((l, i) => [l, i]));
  const examples: EncodedExample[] = [];
  let truncated = 0;
  let unknownLabel = 0;
  for (const row of rows) {
    const labelIndex = index.get(row.label);
    if (labelIndex === undefined) {
      unknownLabel++;
      continue;
    }
    const input = encodeInput(tokenizer, task.template, row, budget, eosId);
    if (input.truncated) truncated++;
    examples.push({ inputIds: input.ids, labelIndex });
  }
  return { examples, truncated, unknownLabel };
}
