/** What bench/run.ts (Node) asks the bench page for, and what comes back. */

export type BenchBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface StepShape {
  batch: number;
  inputLength: number;
  promptLength: number;
}

export interface StepJob {
  kind: 'step';
  shape: StepShape;
  /** Timed steps after the first (warm-up) one. */
  reps: number;
  /** Stop adding repetitions once this much time is spent (the first step always runs). */
  budgetMs: number;
  /** Steps before the timed ones (not counted). Default 1 (the first, reported separately). */
  warmup?: number;
}

export interface ScoreJob {
  kind: 'score';
  examples: number;
  prompts: number;
  promptLength: number;
  inputLength: number;
  /** Candidate targets per example (each two tokens: a label token and </s>). */
  labels: number;
  reps: number;
  budgetMs: number;
}

export interface LeakJob {
  kind: 'leak';
  shape: StepShape;
  steps: number;
  budgetMs: number;
}

export interface ProfileJob {
  kind: 'profile';
  shape: StepShape;
  /** Top kernels to return. */
  top: number;
}

/** Micro-benchmark: x [m, k] times a weight, stored [n, k] (transposeB) or [k, n] (pre-transposed). */
export interface MatMulJob {
  kind: 'matmul';
  m: number;
  k: number;
  n: number;
  reps: number;
}

/**
 * The interpretation views on the model's whole vocabulary (T5's 32,128 × 512): the atlas (norms
 * and PCA, once per model), the neighbours of a prompt, and a map of sampled ids.
 */
export interface VocabularyJob {
  kind: 'vocabulary';
  /** Prompt tokens whose neighbours are looked up. */
  promptLength: number;
  /** Vocabulary ids projected onto the map. */
  mapPoints: number;
}

export type Job = StepJob | ScoreJob | LeakJob | ProfileJob | MatMulJob | VocabularyJob;

export interface MemoryReport {
  /** Highest total of live tensor data buffers during the measurement (each buffer once; weights included). */
  peakTensorBytes: number;
  /** Highest tf.memory().numBytes (counts a buffer once per tensor sharing it: reshapes, clones). */
  peakNumBytes: number;
  /** The frozen model's weights alone. */
  weightBytes: number;
  /** Tensor data alive right after the step (weights, cached derived weights, prompt, optimiser state): the rest of the peak is the step's own. */
  residentBytes: number;
  /** What the backend itself reports: WebGPU/WebGL bytes allocated on the GPU (buffer pool), WASM heap size. */
  backendBytes?: number;
  backendBytesWhat?: string;
}

export interface StepResult {
  kind: 'step';
  shape: StepShape;
  /** Encoder tokens per step: (inputLength + promptLength) × batch. */
  tokensPerStep: number;
  firstStepMs: number;
  timesMs: number[];
  medianMs?: number;
  tokensPerSecond?: number;
  memory: MemoryReport;
  /** Set when repetitions were cut by the budget. */
  note?: string;
  loss: number;
}

export interface ScoreResult {
  kind: 'score';
  examples: number;
  prompts: number;
  singleMs: number[];
  ensembleMs: number[];
  singleMedianMs: number;
  ensembleMedianMs: number;
  /** ensemble (K prompts, one pass) / single (one prompt). */
  ratio: number;
  /** ensemble / (K × single): against scoring the K prompts one after another. */
  ratioVsSequential: number;
  note?: string;
}

export interface LeakResult {
  kind: 'leak';
  shape: StepShape;
  steps: number;
  before: { numTensors: number; numBytes: number };
  after: { numTensors: number; numBytes: number };
  /** numTensors/numBytes after each step (sampled). */
  samples: Array<{ step: number; numTensors: number; numBytes: number }>;
  flat: boolean;
  note?: string;
}

export interface ProfileResult {
  kind: 'profile';
  shape: StepShape;
  totalKernelMs: number;
  wallMs: number;
  kernelCount: number;
  byKernel: Array<{ name: string; ms: number; count: number }>;
  /** Kernel × input shapes, summed over the step, slowest first. */
  slowest: Array<{ name: string; ms: number; count: number; inputShapes: string; outputShapes: string }>;
}

export interface MatMulResult {
  kind: 'matmul';
  m: number;
  k: number;
  n: number;
  /** Median ms per variant. */
  transposeB: number;
  preTransposed: number;
  /** dX = dY · W as the backward pass runs it ([m, n] × [n, k]). */
  backwardDx: number;
}

export interface VocabularyResult {
  kind: 'vocabulary';
  /** The embedding table's [vocab, width]. */
  shape: [number, number];
  promptLength: number;
  mapPoints: number;
  /** The first atlas of this table: norms, then PCA (the covariance in chunks). */
  atlasMs: number;
  normsMs: number;
  pcaMs: number;
  /** The longest the page's event loop went unserved while the atlas was computed. */
  atlasStallMs: number;
  neighboursMs: number;
  neighboursStallMs: number;
  mapMs: number;
  /** The atlas asked for again: cached per model, so about nothing. */
  atlasAgainMs: number;
}

export type JobResult = StepResult | ScoreResult | LeakResult | ProfileResult | MatMulResult | VocabularyResult;

export interface BackendInfo {
  backend: string;
  /** WASM only. */
  simd?: boolean;
  threads?: boolean;
  threadsCount?: number;
  crossOriginIsolated: boolean;
  adapter?: string;
  modelLoadMs: number;
  stepImpl: string;
}
