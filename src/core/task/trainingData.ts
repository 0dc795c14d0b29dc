/**
 * Labelled rows to what the trainer consumes: the task (labels, their target texts, template),
 * the train/validation split (a given validation set, or a stratified share of the rows), the
 * encoded examples and targets. The studio's worker and the CLI prepare data only through this.
 */
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import type { TrainingData } from '../tuning/trainingReports';
import type { LabeledExample, TaskSpec } from './task';
import { encodeExamples, encodeTargets, taskFromExamples } from './taskFormat';
import { trainingSplit, type TrainingSplitOptions } from './trainingSplit';

/** The split's options (trainingSplit), less the task kind, which comes from the task. */
export interface TrainingDataOptions extends Omit<TrainingSplitOptions, 'kind'> {
  /** Task overrides: label texts (`rename` or `targetTexts`), template, maximum input length. */
  task?: Partial<TaskSpec> & { rename?: Record<string, string> };
  promptLength: number;
  eosTokenId: number;
}

export interface PreparedData {
  task: TaskSpec;
  data: TrainingData;
  /** Inputs cut to fit the maximum input length after the prompt. */
  truncated: number;
}

export function prepareTrainingData(tokenizer: T5Tokenizer, examples: LabeledExample[], o: TrainingDataOptions): PreparedData {
  const task = taskFromExamples(examples, o.task ?? {});
  const split = trainingSplit(examples, { ...o, ...(task.kind ? { kind: task.kind } : {}) });
  const train = encodeExamples(tokenizer, task, split.train, o.promptLength, o.eosTokenId);
  const validation = encodeExamples(tokenizer, task, split.validation, o.promptLength, o.eosTokenId);
  const targets = encodeTargets(tokenizer, task);
  return {
    task,
    // The label's tokens without </s> seed the `labels` initialisation.
    data: {
      train: train.examples,
      validation: validation.examples,
      targets,
      labelTokenIds: targets.map((t) => t.slice(0, -1)),
      // Validation reads a text task's answers as text, as evaluation does.
      ...(task.kind === 'text' ? { kind: 'text' as const, text: { targetTexts: task.targetTexts, decode: (ids: number[]) => tokenizer.decode(ids) } } : {}),
    },
    truncated: train.truncated + validation.truncated,
  };
}
