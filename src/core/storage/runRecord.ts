/** What is persisted about a training run, so a reload or a crashed tab loses nothing. */
import type { LabeledExample, TaskSpec } from '../task/task';
import type { TrainerConfig } from '../tuning/trainerConfig';
import type { TrainingCheckpoint, ValidationResult } from '../tuning/trainingReports';

export type RunStatus = 'training' | 'paused' | 'stopped' | 'completed' | 'failed';

export interface RunRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  /** The base model's id (Hub repo or folder name). */
  modelId: string;
  config: TrainerConfig;
  task: TaskSpec;
  status: RunStatus;
  message?: string;
  /** [step, loss] of every reported step (the mean over prompts for an ensemble). */
  losses: Array<[number, number]>;
  /** memberLosses[k]: prompt k's [step, loss] pairs, when training several prompts. */
  memberLosses?: Array<Array<[number, number]>>;
  validations: ValidationResult[];
  /** What is needed to resume after a reload: the data and where the model came from. */
  resume?: {
    examples: LabeledExample[];
    validation?: LabeledExample[];
    validationFraction?: number;
    neighboursEvery?: number;
    /** Where the model came from; a local folder must be opened again by the person. */
    model: { kind: 'url'; id: string; base: string; tokenizerBase?: string } | { kind: 'files'; id: string };
  };
}

export interface RunStore {
  saveRun(run: RunRecord): Promise<void>;
  loadRun(id: string): Promise<RunRecord | undefined>;
  listRuns(): Promise<RunRecord[]>;
  saveCheckpoint(runId: string, checkpoint: TrainingCheckpoint): Promise<void>;
  loadCheckpoint(runId: string): Promise<TrainingCheckpoint | undefined>;
  deleteRun(id: string): Promise<void>;
}

/** Storage failures (quota, private mode) are reported in words, never swallowed. */
export class StorageError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StorageError';
  }
}
