/**
 * The studio's "Continue on a GPU cluster": the current data, split and settings as a zipped job
 * folder for a bigger T5 (the same files `export-job` writes, from the same core). Pure, so Node tests it.
 */
import { zipSync } from 'fflate';
import { buildJob, type Job } from '../../core/job/jobFiles';
import { resolveJobModel } from '../../core/job/jobModel';
import { findKnownT5, KNOWN_T5, type KnownT5 } from '../../core/model/t5Catalogue';
import type { TrainingSettings } from '../../core/settings/trainingSettings';
import type { LabeledExample } from '../../core/task/task';
import { taskFromExamples } from '../../core/task/taskFormat';
import { trainingSplit } from '../../core/task/trainingData';
import trainScript from '../../core/job/train.py?raw';

/** What the cluster can train, biggest last, grouped as the picker shows them. */
export const CLUSTER_MODELS: ReadonlyArray<{ family: string; models: KnownT5[] }> = [
  { family: 'T5 v1.1 LM-adapted (the paper’s models)', models: KNOWN_T5.filter((m) => m.family === 'lm-adapt') },
  { family: 'Flan-T5', models: KNOWN_T5.filter((m) => m.family === 'flan-t5') },
  { family: 'T5 v1.1', models: KNOWN_T5.filter((m) => m.family === 't5-v1_1') },
  { family: 'T5 (original)', models: KNOWN_T5.filter((m) => m.family === 't5') },
];

/** The model loaded in the studio when the cluster knows it, else Flan-T5 large. */
export function defaultClusterModel(loaded: string | undefined): string {
  return (loaded && findKnownT5(loaded)?.id) || 'google/flan-t5-large';
}

export interface ClusterJobRequest {
  modelId: string;
  examples: LabeledExample[];
  test?: LabeledExample[];
  settings: TrainingSettings;
  /** Label → the text it is trained to write (the Data step's label texts); absent labels write themselves. */
  rename?: Record<string, string>;
  /** train.py's text; the bundled one by default. */
  script?: string;
  created?: Date;
}

/** The job and its zip: one folder, prompt-job-<model>/, holding everything. */
export async function clusterJobZip(request: ClusterJobRequest): Promise<{ fileName: string; bytes: Uint8Array; job: Job }> {
  const { settings, examples } = request;
  const job = await buildJob({
    model: resolveJobModel({ id: request.modelId, fromHub: true }),
    settings,
    // As the studio's worker builds the task: the Data step's label texts, the plain "{text}" template.
    task: taskFromExamples(examples, { maxInputTokens: settings.maxInputTokens, rename: request.rename }),
    split: trainingSplit(examples, settings),
    test: request.test,
    script: request.script ?? trainScript,
    created: request.created,
  });
  const folder = `prompt-job-${request.modelId.replace(/[^\w.-]+/g, '_')}`;
  const bytes = zipSync(Object.fromEntries(job.files.map((f) => [`${folder}/${f.path}`, f.bytes])));
  return { fileName: `${folder}.zip`, bytes, job };
}
