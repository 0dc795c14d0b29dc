/** The prompt-design baseline on a run's own validation rows (the very split the trainer validates on). */
import { promptDesignBaseline, type BaselineScore } from '../eval/promptDesignBaseline';
import type { T5Model } from '../model/t5Model';
import type { LabeledExample, TaskSpec } from '../task/task';
import { trainingSplit } from '../task/trainingSplit';
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';

export async function validationBaseline(
  model: T5Model,
  tokenizer: T5Tokenizer,
  examples: LabeledExample[],
  task: TaskSpec,
  split: { validation?: LabeledExample[]; validationFraction: number; seed: number },
): Promise<BaselineScore | undefined> {
  const rows = trainingSplit(examples, { ...split, ...(task.kind ? { kind: task.kind } : {}) }).validation;
  return rows.length ? promptDesignBaseline(model, tokenizer, task, rows) : undefined;
}
