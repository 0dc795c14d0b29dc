/** The metadata a trained prompt is written with, the same from the studio and the CLI. */
import type { TaskSpec } from '../task/task';
import type { PromptMetadataInput } from './promptFile';

export interface TrainedPrompt {
  /** The base model's id (Hub repo, folder name or path). */
  baseModel: string;
  dModel: number;
  /** With `labels`, the mapping from the data's labels to the texts is recorded too (when they differ). */
  task: Pick<TaskSpec, 'targetTexts' | 'template'> & Partial<Pick<TaskSpec, 'labels' | 'kind'>>;
  init: string;
  /** The seed the initialisation drew with, recorded so the initial prompt can be rebuilt. */
  initSeed?: number;
  steps: number;
  /** The prompt's best validation, when there was validation. */
  validation?: { accuracy: number; loss: number };
}

export function trainedPromptMetadata(p: TrainedPrompt, now = new Date()): PromptMetadataInput & { dModel: number } {
  return {
    baseModel: p.baseModel,
    dModel: p.dModel,
    // A text-to-text prompt writes free text: its training targets are no label set to record.
    ...(p.task.kind === 'text' ? {} : { labels: p.task.targetTexts, ...(renamed(p.task) ? { labelValues: p.task.labels } : {}) }),
    task: p.task.kind ?? 'classify',
    template: p.task.template,
    init: p.init,
    ...(p.initSeed !== undefined ? { initSeed: p.initSeed } : {}),
    steps: p.steps,
    validation: p.validation ? { accuracy: p.validation.accuracy, loss: p.validation.loss } : {},
    created: now.toISOString(),
  };
}

/** Some label is trained to write a text other than itself (so the files should say which). */
function renamed(task: TrainedPrompt['task']): task is TrainedPrompt['task'] & { labels: string[] } {
  return task.labels !== undefined && task.labels.length === task.targetTexts.length && task.labels.some((l, i) => l !== task.targetTexts[i]);
}
