/**
 * Which rows train and which validate: the given validation rows, else a seeded share of the rows,
 * stratified by label for classification and drawn from all rows as one stratum for a text task.
 * Free of the tokenizer, so the studio's page shows the split training will make without loading it.
 */
import { stratifiedSplit, type Split } from '../data/stratifiedSplit';
import type { LabeledExample } from './task';
import type { TaskKind } from './taskKind';

export interface TrainingSplitOptions {
  /** Rows to validate on; without them `validationFraction` of the rows is held out. */
  validation?: LabeledExample[];
  validationFraction: number;
  /** Seeds the split. */
  seed: number;
  kind?: TaskKind;
}

/**
 * The rows each part gets: the given validation rows, else a stratified, seeded share of `examples`.
 * `export-job` writes exactly these rows for the cluster, so a job trains on the studio's split.
 */
export function trainingSplit(examples: LabeledExample[], o: TrainingSplitOptions): Split<LabeledExample> {
  if (o.validation) return { train: examples, validation: o.validation };
  // Free-text targets are mostly unique: stratifying by them would keep every row in training.
  return stratifiedSplit(examples, (e) => (o.kind === 'text' ? '' : e.label), o.validationFraction, o.seed);
}
