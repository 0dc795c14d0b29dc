/** Turning rows into model inputs: template, tokenisation, truncation (counted, never silent). */
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import { DEFAULT_MAX_INPUT_TOKENS, DEFAULT_TEMPLATE, type EncodedExample, type LabeledExample, type TaskSpec } from './task';

/** A task whose labels are the distinct label values, in order of first appearance, each its own target text. */
export function taskFromExamples(examples: LabeledExample[], overrides: Partial<TaskSpec> & { rename?: Record<string, string> } = {}): TaskSpec {
  const labels = overrides.labels ?? [...new Set(examples.map((e) => e.label))];
  return {
    labels,
    targetTexts: overrides.targetTexts ?? labels.map((l) => overrides.rename?.[l] ?? l),
    template: overrides.template ?? DEFAULT_TEMPLATE,
    maxInputTokens: overrides.maxInputTokens ?? DEFAULT_MAX_INPUT_TOKENS,
  };
}

export function applyTemplate(template: string, text: string): string {
  return template.includes('{text}') ? template.split('{text}').join(text) : `${template}${text}`;
}

/** Target ids per label: the target text's pieces followed by </s>. */
export function encodeTargets(tokenizer: T5Tokenizer, task: TaskSpec): number[][] {
  return task.targetTexts.map((t) => tokenizer.encode(t));
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
    let ids = tokenizer.encode(applyTemplate(task.template, row.text));
    if (ids.length > budget) {
      truncated++;
      ids = [...ids.slice(0, budget - 1), eosId];
    }
    examples.push({ inputIds: ids, labelIndex });
  }
  return { examples, truncated, unknownLabel };
}
