/**
 * The typed messages between the page and the training worker. The page sends raw labelled
 * rows; the worker owns the model, the tokenizer and the GPU, and streams progress back.
 */
import type { BackendName } from '../backend';
import type { LabeledExample, TaskSpec } from '../task/task';
import type { ProgressReport, TrainerConfig, TrainingResult, ValidationResult } from '../tuning/trainer';

export type ModelSpec =
  | { kind: 'url'; id: string; base: string }
  | { kind: 'files'; id: string; files: File[] };

export interface NeighbourToken {
  id: number;
  token: string;
  similarity: number;
}

export type WorkerRequest =
  | { type: 'load-model'; model: ModelSpec; backends?: BackendName[] }
  | {
      type: 'start';
      runId: string;
      examples: LabeledExample[];
      /** Rows kept for validation; when absent, a stratified split of `examples` is made. */
      validation?: LabeledExample[];
      validationFraction?: number;
      task?: Partial<TaskSpec> & { rename?: Record<string, string> };
      config: Partial<TrainerConfig>;
      /** Show nearest neighbours every N steps (0: never). */
      neighboursEvery?: number;
      /** Continue the stored run `runId` from its checkpoint. */
      resume?: boolean;
    }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'export'; format: 'prompt' | 'peft' };

export type SessionState = 'idle' | 'loading' | 'ready' | 'training' | 'paused' | 'finished';

export type WorkerEvent =
  | { type: 'backend'; name: string; reason?: string }
  | { type: 'load-progress'; file: string; loaded: number; total?: number }
  | { type: 'model-loaded'; modelId: string; dModel: number; vocabSize: number; parameters: number; hasTokenizer: boolean }
  | { type: 'state'; state: SessionState }
  | { type: 'data'; train: number; validation: number; truncated: number; labels: string[]; targetTexts: string[] }
  | ({ type: 'progress' } & ProgressReport)
  | ({ type: 'validation'; isBest: boolean } & ValidationResult)
  | { type: 'neighbours'; step: number; tokens: NeighbourToken[][] }
  | { type: 'checkpoint'; step: number }
  | { type: 'done'; result: Omit<TrainingResult, 'prompt'> }
  | { type: 'exported'; format: 'prompt' | 'peft'; fileName: string; bytes: Uint8Array }
  | { type: 'error'; message: string; during: WorkerRequest['type'] | 'checkpoint' };
