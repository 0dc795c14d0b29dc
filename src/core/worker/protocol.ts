/**
 * The typed messages between the page and the training worker. The page sends raw labelled
 * rows; the worker owns the model, the tokenizer and the GPU, and streams progress back.
 */
import type { BackendName } from '../backend';
import type { BackendPreferences, BackendRecord, MeasuredChoice } from '../backendChoice';
import type { TokenNorm } from '../interpret/embeddingNorms';
import type { ExampleReading } from '../interpret/exampleReading';
import type { PromptInterpretation, VocabularyMap } from '../interpret/interpretPrompt';
import type { PromptSimilarity } from '../interpret/promptSimilarity';
import type { TextEvaluation } from '../eval/evaluateText';
import type { BaselineScore } from '../eval/promptDesignBaseline';
import type { TextPrediction } from '../eval/predictText';
import type { T5Config } from '../model/t5Config';
import type { PromptMetadata } from '../promptFile/softPrompt';
import type { LabeledExample, TaskSpec } from '../task/task';
import type { TaskKind } from '../task/taskKind';
import type { ProgressReport, TrainerConfig, TrainingResult, ValidationResult } from '../tuning/trainer';

export type ModelSpec =
  | {
      kind: 'url';
      /** Shown to the person and written into prompt files (a Hub repo id, or "demo"). */
      id: string;
      base: string;
      /** Where tokenizer.json comes from when the model's own repo has none. */
      tokenizerBase?: string;
      /** Keep downloaded files in Cache Storage for the next visit (default true). */
      cache?: boolean;
    }
  | { kind: 'files'; id: string; files: File[] };

export interface NeighbourToken {
  id: number;
  token: string;
  similarity: number;
}

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export type WorkerRequest =
  /** Pick the compute backend now (the page shows it before any model is loaded). */
  | { type: 'init'; backends?: BackendName[] }
  | { type: 'load-model'; model: ModelSpec; backends?: BackendName[] }
  | { type: 'cancel-load' }
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
      /** The page's remembered backend choices and override: with them the worker picks the backend by measurement (backendChoice.ts). */
      backendPreferences?: BackendPreferences;
      /** Score the prompt-design baseline (frozen model, this template, no soft prompt) on the validation rows first. */
      baselineTemplate?: string;
    }
  /** After a lost GPU: start a backend again (a new device, or the given fallbacks), reload the model, resume the run. */
  | { type: 'recover'; backends?: BackendName[] }
  /** Fault injection for tests: destroy the WebGPU device as a driver reset would. */
  | { type: 'simulate-device-loss' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Make a saved run's prompts (its best, else its last checkpoint) the current ones. */
  | { type: 'open-run'; runId: string }
  /** Make an imported prompt (or several: an ensemble) the current one(s). */
  | { type: 'import-prompts'; files: NamedBytes[][] }
  /** With `baselineTemplate`, the prompt-design baseline on the same rows is reported too. */
  | { type: 'evaluate'; requestId: number; examples: LabeledExample[]; baselineTemplate?: string }
  /** `fields[i]`: the other columns text i's template names ({question}), when it names any. */
  | { type: 'predict'; requestId: number; texts: string[]; fields?: Array<Record<string, string>> }
  /** Export prompt `member` (default: the best on validation) as a prompt file or a PEFT zip. */
  /** With `requestId` the bytes come back to the asker (a cluster job's warm start) instead of being downloaded. */
  | { type: 'export'; format: 'prompt' | 'peft'; member?: number; requestId?: number }
  /** The vocabulary's PCA map (computed once per model): a seeded sample of tokens and the label words. */
  | { type: 'vocabulary-map'; requestId: number; sample?: number; labels?: string[] }
  /** Current prompt `member` (default 0): neighbours with cosine, norms, its place on the map, drift from its start. */
  | { type: 'interpret'; requestId: number; member?: number; k?: number; sample?: number }
  /** What the model reads of one text under current prompt `member`: attention on the prompt, token importance. */
  | { type: 'read-example'; requestId: number; text: string; member?: number }
  /** Similarity of saved runs' prompts ('all': every saved run) and of prompt files. */
  | { type: 'compare-prompts'; requestId: number; runIds: string[] | 'all'; files?: NamedBytes[][] };

export type SessionState = 'idle' | 'loading' | 'ready' | 'training' | 'paused' | 'finished' | 'interrupted';

export interface MemberScore {
  accuracy: number;
  loss: number;
}

export type WorkerEvent =
  /** `usable`: the backends that could be measured here; `measured`: how this one was chosen for the run, with the timings. */
  | { type: 'backend'; name: string; reason?: string; detail?: string; usable?: BackendName[]; measured?: MeasuredChoice }
  /** Timing a training step on each of `backends` before a run (first use of this shape on this device). */
  | { type: 'backend-trial'; backends: BackendName[] }
  /** A finished measurement, for the page to remember. */
  | { type: 'backend-measured'; record: BackendRecord }
  | { type: 'load-progress'; file: string; loaded: number; total?: number; fromCache?: boolean }
  /** `config`: the model's shape, so the page can check a run's memory at Start. */
  | { type: 'model-loaded'; modelId: string; dModel: number; vocabSize: number; parameters: number; hasTokenizer: boolean; config?: T5Config }
  | { type: 'state'; state: SessionState }
  /** `template`: how each row was written for the model (Try it asks for the columns it names). */
  | { type: 'data'; train: number; validation: number; truncated: number; labels: string[]; targetTexts: string[]; kind?: TaskKind; template?: string }
  /** `memory`: the worker's live tensors and their bytes (TF.js's count), to show that long runs stay flat. */
  | ({ type: 'progress'; memory?: { tensors: number; bytes: number } } & ProgressReport)
  | ({ type: 'validation'; isBest: boolean } & ValidationResult)
  /**
   * A snapshot of prompt 1 while training. Besides the neighbours: each token's norm and its
   * percentile among the vocabulary's, its [x, y] on the vocabulary's PCA map, and its cosine to
   * the vector it started from (absent when the start cannot be rebuilt).
   */
  | { type: 'neighbours'; step: number; tokens: NeighbourToken[][]; norms?: TokenNorm[]; projection?: Array<[number, number]>; initialCosine?: number[] }
  | ({ type: 'vocabulary-map'; requestId: number; tokens: string[] } & VocabularyMap)
  | ({ type: 'interpretation'; requestId: number; member: number; steps: number; tokens: string[]; driftUnavailable?: string } & PromptInterpretation)
  | ({ type: 'example-reading'; requestId: number; member: number } & ExampleReading)
  | ({ type: 'prompt-similarity'; requestId: number; skipped: string[] } & PromptSimilarity)
  | { type: 'checkpoint'; step: number }
  | { type: 'done'; result: Omit<TrainingResult, 'prompts'> }
  /** `kind`: 'text' for text-to-text prompts (evaluated by generation); absent: classification. */
  | { type: 'prompts-ready'; count: number; labels: string[]; metadata?: PromptMetadata; notes: string[]; kind?: TaskKind; template?: string }
  | {
      type: 'evaluation';
      requestId: number;
      n: number;
      labels: string[];
      members: MemberScore[];
      /** Majority vote of the prompts; the prompt's own accuracy when there is one. */
      accuracy: number;
      meanAccuracy: number;
      bestAccuracy: number;
      /** [true][predicted] counts of the (ensemble's) predictions. */
      confusion: number[][];
    }
  /** A text-to-text task's evaluation: exact match and F1 per member, mean, best, vote; examples. */
  | ({ type: 'text-evaluation'; requestId: number } & Omit<TextEvaluation, 'answers'>)
  /** The prompt-design baseline on the validation rows (at Start) or on the evaluated rows (requestId). */
  | ({ type: 'baseline'; split: 'validation' | 'test'; requestId?: number } & BaselineScore)
  | { type: 'predictions'; requestId: number; labels: string[]; results: Array<{ answer: number; votes: number[]; probabilities: number[] }> }
  /** A text-to-text prompt's answers to typed texts: the (voted) answer and each member's. */
  | { type: 'generated'; requestId: number; results: TextPrediction[] }
  | { type: 'exported'; format: 'prompt' | 'peft'; fileName: string; bytes: Uint8Array; requestId?: number }
  /** The GPU was lost (driver reset, out of memory) mid-run; the run is saved at `checkpointStep` and can be recovered. */
  | { type: 'gpu-lost'; message: string; runId: string; checkpointStep: number | undefined }
  | { type: 'warning'; message: string }
  | { type: 'error'; message: string; during: WorkerRequest['type'] | 'checkpoint' };
