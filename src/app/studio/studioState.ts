/**
 * The studio's view of the training worker: every WorkerEvent folded into one state object by a
 * pure reducer (tested in Node), so components only render it.
 */
import type { BackendName } from '../../core/backend';
import type { MeasuredChoice } from '../../core/backendChoice';
import type { T5Config } from '../../core/model/t5Config';
import type { TaskKind } from '../../core/task/taskKind';
import type { SessionState, WorkerEvent } from '../../core/worker/protocol';
import type { ProgressReport, TrainingResult } from '../../core/tuning/trainer';

export interface LossSeriesState {
  name: string;
  train: Array<{ step: number; loss: number }>;
  /** `f1`: a text task's (accuracy is then the exact match of the generated answers). */
  validation: Array<{ step: number; loss: number; accuracy: number; f1?: number }>;
}

export interface DownloadState {
  /** Per file: bytes so far and the total when known. */
  files: Record<string, { loaded: number; total?: number; fromCache?: boolean }>;
}

type Reply<T extends WorkerEvent['type']> = Omit<Extract<WorkerEvent, { type: T }>, 'type' | 'requestId'>;
export type EvaluationState = Reply<'evaluation'>;
export type PredictionState = Reply<'predictions'>;
export type TextEvaluationState = Reply<'text-evaluation'>;
export type BaselineState = Omit<Extract<WorkerEvent, { type: 'baseline' }>, 'type' | 'requestId' | 'split'>;

export type NeighbourSnapshotState = Omit<Extract<WorkerEvent, { type: 'neighbours' }>, 'type'>;

export interface StudioState {
  session: SessionState;
  /** `usable`: the backends that could be measured here; `measured`: how the run's backend was chosen; `measuring`: a trial under way. */
  backend?: { name: string; reason?: string; detail?: string; usable?: BackendName[]; measured?: MeasuredChoice; measuring?: BackendName[] };
  /** `config`: the loaded model's shape, for the memory check at Start. */
  model?: { id: string; dModel: number; vocabSize: number; parameters: number; hasTokenizer: boolean; config?: T5Config };
  download?: DownloadState;
  data?: { train: number; validation: number; truncated: number; labels: string[]; targetTexts: string[]; kind?: TaskKind; template?: string };
  /** One loss series per prompt (several for an ensemble). */
  series: LossSeriesState[];
  /** The ensemble's validation accuracy (majority vote) per evaluation, when training several prompts; a text task's F1 too. */
  ensembleValidation: Array<{ step: number; accuracy: number; f1?: number }>;
  /** Prompt 1's snapshots while training: neighbours, and (from the worker's interpreter) norms, map position, drift. */
  neighbours: NeighbourSnapshotState[];
  progress?: Omit<ProgressReport, 'losses' | 'memberLosses'> & { memory?: { tensors: number; bytes: number } };
  checkpointStep?: number;
  result?: Omit<TrainingResult, 'prompts'>;
  /** Prompts the worker can evaluate, predict with and export. */
  /** `template`: how the prompts' inputs are written (Try it asks for the columns it names). */
  prompts?: { count: number; labels: string[]; notes: string[]; kind?: TaskKind; template?: string };
  evaluation?: EvaluationState;
  /** A text-to-text prompt's evaluation (exact match, F1, examples). */
  textEvaluation?: TextEvaluationState;
  /** The prompt-design baseline (frozen model + text template) on the run's validation rows and on evaluated test rows. */
  promptDesign?: { validation?: BaselineState; test?: BaselineState };
  predictions: Record<number, PredictionState>;
  /** Set when the GPU was lost mid-run; the run can be recovered from its checkpoint. */
  gpuLost?: { message: string; runId: string; checkpointStep: number | undefined };
  errors: Array<{ message: string; during: string }>;
  warnings: string[];
}

export const initialStudioState: StudioState = { session: 'idle', series: [], ensembleValidation: [], neighbours: [], predictions: {}, errors: [], warnings: [] };

/** Neighbour snapshots kept for the scrubber; older ones are thinned out beyond this. */
const MAX_SNAPSHOTS = 200;

export type StudioAction = WorkerEvent | { type: 'reset-run' } | { type: 'dismiss-error'; index: number } | { type: 'restore-curve'; series: LossSeriesState[] };

export function studioReducer(state: StudioState, event: StudioAction): StudioState {
  switch (event.type) {
    case 'state':
      return { ...state, session: event.state, gpuLost: event.state === 'training' ? undefined : state.gpuLost };
    case 'gpu-lost':
      return { ...state, gpuLost: { message: event.message, runId: event.runId, checkpointStep: event.checkpointStep } };
    case 'backend':
      return { ...state, backend: { name: event.name, reason: event.reason, detail: event.detail, usable: event.usable, measured: event.measured } };
    case 'backend-trial':
      return state.backend ? { ...state, backend: { ...state.backend, measuring: event.backends } } : state;
    case 'load-progress': {
      const files = { ...(state.download?.files ?? {}), [event.file]: { loaded: event.loaded, total: event.total, fromCache: event.fromCache } };
      return { ...state, download: { files } };
    }
    case 'model-loaded': {
      const { type: _type, ...model } = event;
      return { ...state, model: { id: model.modelId, dModel: model.dModel, vocabSize: model.vocabSize, parameters: model.parameters, hasTokenizer: model.hasTokenizer, ...(model.config ? { config: model.config } : {}) }, prompts: undefined, evaluation: undefined };
    }
    case 'reset-run':
      return { ...state, data: undefined, series: [], ensembleValidation: [], neighbours: [], progress: undefined, checkpointStep: undefined, result: undefined, evaluation: undefined, textEvaluation: undefined, promptDesign: undefined, predictions: {}, errors: [] };
    case 'restore-curve':
      return { ...state, series: event.series };
    case 'data':
      return { ...state, data: { train: event.train, validation: event.validation, truncated: event.truncated, labels: event.labels, targetTexts: event.targetTexts, ...(event.kind ? { kind: event.kind } : {}), ...(event.template !== undefined ? { template: event.template } : {}) } };
    case 'progress': {
      const { type: _type, losses: _losses, memberLosses, ...progress } = event;
      const first = event.step - memberLosses[0]!.length + 1;
      const series = memberLosses.map((losses, k) => {
        const previous = state.series[k] ?? { name: memberLosses.length > 1 ? `prompt ${k + 1}` : 'prompt', train: [], validation: [] };
        // A resumed run repeats no steps; drop anything at or after the first new step.
        const kept = previous.train.length && previous.train[previous.train.length - 1]!.step >= first ? previous.train.filter((p) => p.step < first) : previous.train;
        return { ...previous, train: [...kept, ...losses.map((loss, j) => ({ step: first + j, loss }))] };
      });
      return { ...state, series, progress };
    }
    case 'validation': {
      const members = event.members ?? [{ accuracy: event.accuracy, loss: event.loss, isBest: event.isBest, ...(event.f1 === undefined ? {} : { f1: event.f1 }) }];
      const series = members.map((m, k) => {
        const previous = state.series[k] ?? { name: members.length > 1 ? `prompt ${k + 1}` : 'prompt', train: [], validation: [] };
        const point = { step: event.step, loss: m.loss, accuracy: m.accuracy, ...(m.f1 === undefined ? {} : { f1: m.f1 }) };
        return { ...previous, validation: [...previous.validation.filter((v) => v.step < event.step), point] };
      });
      const ensembleValidation = event.members ? [...state.ensembleValidation, { step: event.step, accuracy: event.accuracy, ...(event.f1 === undefined ? {} : { f1: event.f1 }) }] : state.ensembleValidation;
      return { ...state, series, ensembleValidation };
    }
    case 'neighbours': {
      const { type: _type, ...snapshot } = event;
      let neighbours = [...state.neighbours.filter((n) => n.step !== event.step), snapshot];
      if (neighbours.length > MAX_SNAPSHOTS) neighbours = neighbours.filter((_, i) => i % 2 === 0 || i === neighbours.length - 1);
      return { ...state, neighbours };
    }
    case 'checkpoint':
      return { ...state, checkpointStep: event.step };
    case 'done':
      return { ...state, result: event.result, prompts: { count: state.series.length || 1, labels: state.data?.targetTexts ?? [], notes: [], ...(state.data?.kind ? { kind: state.data.kind } : {}), ...(state.data?.template !== undefined ? { template: state.data.template } : {}) } };
    case 'prompts-ready':
      return { ...state, prompts: { count: event.count, labels: event.labels, notes: event.notes, ...(event.kind ? { kind: event.kind } : {}), ...(event.template !== undefined ? { template: event.template } : {}) }, evaluation: undefined, textEvaluation: undefined };
    case 'evaluation': {
      const { type: _type, requestId: _id, ...evaluation } = event;
      return { ...state, evaluation, textEvaluation: undefined };
    }
    case 'text-evaluation': {
      const { type: _type, requestId: _id, ...textEvaluation } = event;
      return { ...state, textEvaluation, evaluation: undefined };
    }
    case 'baseline': {
      const { type: _type, requestId: _id, split, ...score } = event;
      return { ...state, promptDesign: { ...state.promptDesign, [split]: score } };
    }
    case 'predictions':
      return { ...state, predictions: { ...state.predictions, [event.requestId]: { labels: event.labels, results: event.results } } };
    case 'exported':
    // Awaited by the Try-it box through its requestId.
    case 'generated':
    // Remembered by useStudioWorker; the 'backend' event that follows shows it.
    case 'backend-measured':
    // Interpretation replies are awaited by their requestId (useStudioWorker's request), not kept here.
    case 'vocabulary-map':
    case 'interpretation':
    case 'example-reading':
    case 'prompt-similarity':
      return state;
    case 'warning':
      return { ...state, warnings: [...state.warnings, event.message].slice(-5) };
    case 'error':
      // A repeated failure (storage full at every checkpoint) is one alert, not one per step.
      if (state.errors.some((e) => e.message === event.message && e.during === event.during)) return state;
      return { ...state, errors: [...state.errors, { message: event.message, during: event.during }] };
    case 'dismiss-error':
      return { ...state, errors: state.errors.filter((_, i) => i !== event.index) };
  }
}
