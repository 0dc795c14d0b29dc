/**
 * Labelled rows to what the trainer consumes: the task (labels, their target texts, template),
 * the train/validation split (a given validation set, or a stratified share of the rows), the
 * encoded examples and targets. The studio's worker and the CLI prepare data only through this.
 */
import { stratifiedSplit, type Split } from '../data/stratifiedSplit';
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import type { TrainingData } from '../tuning/trainingReports';
import type { LabeledExample, TaskSpec } from './task';
import type { TaskKind } from './taskKind';
import { encodeExamples, encodeTargets, taskFromExamples } from './taskFormat';

export interface TrainingDataOptions {
  /** Task overrides: label texts (`rename` or `targetTexts`), template, maximum input length. */
  task?: Partial<TaskSpec> & { rename?: Record<string, string> };
  /** Rows to validate on; without them `validationFraction` of the rows is held out. */
  validation?: LabeledExample[];
  validationFraction: number;
  /** Seeds the split. */
  seed: number;
  promptLength: number;
  eosTokenId: number;
}

export interface PreparedData {
  task: TaskSpec;
  data: TrainingData;
  /** Inputs cut to fit the maximum input length after the prompt. */
  truncated: number;
}

/**
 * The rows each part gets: the given validation rows, else a stratified, seeded share of `examples`.
 * `export-job` writes exactly these rows for the cluster, so a job trains on the studio's split.
 */
export function trainingSplit(examples: LabeledExample[], o: Pick<TrainingDataOptions, 'validation' | 'validationFraction' | 'seed'> & { kind?: TaskKind }): Split<LabeledExample> {
  if (o.validation) return { train: examples, validation: o.validation };
  // Free-text targets are mostly unique: stratifying by them would keep every row in training.
  return stratifiedSplit(examples, (e) => (o.kind === 'text' ? '' : e.label), o.validationFraction, o.seed);
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
    data: { train: train.examples, validation: validation.examples, targets, labelTokenIds: targets.map((t) => t.slice(0, -1)), ...(task.kind === 'text' ? { kind: 'text' as const } : {}) },
    truncated: train.truncated + validation.truncated,
  };
}
