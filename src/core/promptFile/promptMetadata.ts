/** The metadata a trained prompt is written with, the same from the studio and the CLI. */
import type { TaskSpec } from '../task/task';
import type { PromptMetadataInput } from './promptFile';

export interface TrainedPrompt {
  /** The base model's id (Hub repo, folder name or path). */
  baseModel: string;
  dModel: number;
  task: Pick<TaskSpec, 'targetTexts' | 'template'>;
  init: string;
  steps: number;
  /** The prompt's best validation, when there was validation. */
  validation?: { accuracy: number; loss: number };
}

export function trainedPromptMetadata(p: TrainedPrompt, now = new Date()): PromptMetadataInput & { dModel: number } {
  return {
    baseModel: p.baseModel,
    dModel: p.dModel,
    labels: p.task.targetTexts,
    template: p.task.template,
    init: p.init,
    steps: p.steps,
    validation: p.validation ? { accuracy: p.validation.accuracy, loss: p.validation.loss } : {},
    created: now.toISOString(),
  };
}
