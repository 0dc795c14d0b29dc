/**
 * Matching a labelled file's rows to a prompt's labels. A prompt file names the texts it writes
 * ("positive") and, in its `label_map`, the labels the training data had for them ("1"); a file
 * to evaluate on may carry either. Used by the worker (the studio's Evaluate) and the CLI's eval.
 */
import type { LabeledExample, TaskSpec } from './task';
import { taskFromExamples } from './taskFormat';

export interface RecordedLabels {
  /** The texts the prompt writes (a prompt file's `labels`). */
  labels?: string[];
  /** The data's label for each text (from `label_map`), when recorded. */
  labelValues?: string[];
  template?: string;
}

/** The task of an imported prompt: the data's labels when the file records them, else the texts as labels. */
export function taskFromRecordedLabels(m: RecordedLabels): TaskSpec {
  const texts = m.labels ?? [];
  const values = m.labelValues?.length === texts.length ? m.labelValues : undefined;
  return taskFromExamples([], { labels: values ?? texts, targetTexts: texts, template: m.template || undefined });
}

/**
 * Rows in the task's labels: a row's label is taken as it is when it is one of the task's labels
 * (so "1" stays "1" even if some label's text is "1"), else as a target text and mapped to its
 * label. Anything else is left as it was (encodeExamples counts it as unknown).
 */
export function rowsInTaskLabels(task: Pick<TaskSpec, 'labels' | 'targetTexts'>, rows: readonly LabeledExample[]): LabeledExample[] {
  const known = new Set(task.labels);
  const byText = new Map(task.targetTexts.map((t, i) => [t, task.labels[i]!]));
  return rows.map((r) => (known.has(r.label) ? r : { ...r, label: byText.get(r.label) ?? r.label }));
}
