/**
 * The studio's "Continue on a GPU cluster": the current data, split and settings as a zipped job
 * folder for a bigger T5 (the same files `export-job` writes, from the same core). Pure, so Node tests it.
 */
import { zipSync } from 'fflate';
import { buildJob, type Job } from '../../core/job/jobFiles';
import { JobError } from '../../core/job/jobError';
import { resolveJobModel } from '../../core/job/jobModel';
import { importPrompt } from '../../core/promptFile/peftAdapter';
import type { TrainingSettings } from '../../core/settings/trainingSettings';
import type { LabeledExample } from '../../core/task/task';
import type { TaskKind } from '../../core/task/taskKind';
import { taskFromExamples } from '../../core/task/taskFormat';
import { trainingSplit } from '../../core/task/trainingSplit';
import trainScript from '../../core/job/train.py?raw';
import { warmStartMismatch } from './clusterModels';

// Re-exported: the Keep panel imports the picker's list from clusterModels.ts and this module lazily.
export { CLUSTER_MODELS, defaultClusterModel } from './clusterModels';

export interface ClusterJobRequest {
  modelId: string;
  examples: LabeledExample[];
  test?: LabeledExample[];
  settings: TrainingSettings;
  /** Label → the text it is trained to write (the Data step's label texts); absent labels write themselves. */
  rename?: Record<string, string>;
  /** The Data step's task type: 'text' writes a job that generates each answer (absent: classification). */
  kind?: TaskKind;
  /** The current prompt as the worker exports it (a prompt file): the job's warm start, its length the job's prompt length. */
  prompt?: { name: string; bytes: Uint8Array };
  /** train.py's text; the bundled one by default. */
  script?: string;
  created?: Date;
}

/** The job and its zip: one folder, prompt-job-<model>/, holding everything. */
export async function clusterJobZip(request: ClusterJobRequest): Promise<{ fileName: string; bytes: Uint8Array; job: Job }> {
  const { examples } = request;
  const warmStart = request.prompt ? importPrompt([request.prompt]) : undefined;
  const mismatch = warmStart && warmStartMismatch(warmStart.prompt.width, request.modelId);
  if (mismatch) throw new JobError(mismatch);
  // A warm start keeps the length it was trained with, whatever the Train step says now.
  const settings = warmStart ? { ...request.settings, promptLength: warmStart.prompt.length } : request.settings;
  const job = await buildJob({
    model: resolveJobModel({ id: request.modelId, fromHub: true }),
    settings,
    warmStart,
    // As the studio's worker builds the task: the Data step's label texts (classes only) and the settings' template.
    task: taskFromExamples(examples, { maxInputTokens: settings.maxInputTokens, template: settings.template, ...(request.kind === 'text' ? { kind: 'text' as const } : { rename: request.rename }) }),
    split: trainingSplit(examples, { ...settings, ...(request.kind ? { kind: request.kind } : {}) }),
    test: request.test,
    script: request.script ?? trainScript,
    created: request.created,
  });
  const folder = `prompt-job-${request.modelId.replace(/[^\w.-]+/g, '_')}`;
  const bytes = zipSync(Object.fromEntries(job.files.map((f) => [`${folder}/${f.path}`, f.bytes])));
  return { fileName: `${folder}.zip`, bytes, job };
}
