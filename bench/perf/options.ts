/**
 * `npm run bench` options (the flags are listed in bench/run.ts and bench/README.md), the measured
 * shapes, and the per-backend budgets.
 */
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchBackend, StepShape, VocabularyJob } from '../types.ts';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = path.resolve(benchDir, '..');

export type Phase2Job = 'scaling' | 'scoring' | 'memory' | 'leak' | 'vocabulary' | 'profile';

export const ALL_BACKENDS: BenchBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export const LABEL: Record<BenchBackend, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU (JS)' };

/**
 * The memory goal is batch 32 × 128 tokens with a 100-token prompt (< 2 GB), measured directly: the
 * trainer runs it as passes of at most maxTokensPerPass tokens. --memory-batch=N measures another
 * batch and extrapolates linearly to 32.
 */
export const MEMORY_GOAL: StepShape = { batch: 32, inputLength: 128, promptLength: 100 };
/** The flat-memory check runs 100 steps: a smaller batch keeps it to about a minute. */
export const LEAK_SHAPE: StepShape = { batch: 2, inputLength: 32, promptLength: 20 };
/** The interpretation views on the model's vocabulary (T5's 32,128 × 512): neighbours of a 100-token prompt, a 2,000-point map. */
export const VOCABULARY_JOB: VocabularyJob = { kind: 'vocabulary', promptLength: 100, mapPoints: 2000 };
/** Per backend: the pure-JS CPU backend and WebGPU on SwiftShader take minutes for the atlas's 8-GFLOP product. */
export const VOCABULARY_BUDGET_MS = 240_000;
/** Back-to-back rounds of the fastest backend and the peer, for the ratio. */
export const PAIRED_ROUNDS = 3;
/** Extra time the page gets past its own budget (the first step and model build always run) before it is closed. */
export const GRACE_MS = 120_000;

export interface BenchOptions {
  /** The command-line arguments, as given (they go into the JSON). */
  argv: string[];
  quick: boolean;
  /** --only=vocabulary: only the vocabulary measurement, on each of `backends` (no step, no peer). */
  vocabularyOnly: boolean;
  /** Which backends get the training-step measurement. */
  backends: BenchBackend[];
  /** What runs on the fastest backend (or --on) after the per-backend step. */
  phase2: Phase2Job[];
  /** --on: run phase 2 on this backend instead of the fastest. */
  on?: BenchBackend;
  matmul: boolean;
  noPeer: boolean;
  /** The measured shape: batch 8, 64 input tokens, a 20-token prompt (two-token targets). */
  main: StepShape;
  memoryShape: StepShape;
  /** XNNPACK threads for WASM: every core (the backend's own default is half of them). */
  wasmThreads: number;
  wasmNoThreads: boolean;
  /**
   * Per-backend repetitions and time budgets (ms). On this kind of machine (2 cores, SwiftShader)
   * CPU and WebGL are very slow for this model: fewer repetitions, and a hard stop.
   */
  plan: Record<BenchBackend, { reps: number; budgetMs: number }>;
  /** Where the JSON goes. */
  out: string;
}

export function parseOptions(argv: string[]): BenchOptions {
  const flag = (name: string) => argv.includes(`--${name}`);
  const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const quick = flag('quick');
  const shape = option('shape')?.split(',').map(Number);
  const only = option('only');
  if (only !== undefined && only !== 'step' && only !== 'vocabulary') throw new Error(`--only=${only}: say --only=step or --only=vocabulary`);
  return {
    argv,
    quick,
    vocabularyOnly: only === 'vocabulary',
    backends: ((option('backends')?.split(',') as BenchBackend[] | undefined) ?? ALL_BACKENDS).filter((b) => ALL_BACKENDS.includes(b)),
    // All but the profile unless --jobs says.
    phase2:
      only === 'step' ? (flag('profile') ? ['profile'] : []) : ((option('jobs')?.split(',') as Phase2Job[] | undefined) ?? ['scaling', 'scoring', 'memory', 'leak', 'vocabulary', ...(flag('profile') ? (['profile'] as const) : [])]),
    on: option('on') as BenchBackend | undefined,
    matmul: flag('matmul'),
    noPeer: flag('no-peer'),
    main: shape ? { batch: shape[0]!, inputLength: shape[1]!, promptLength: shape[2]! } : { batch: 8, inputLength: 64, promptLength: 20 },
    memoryShape: { ...MEMORY_GOAL, batch: Number(option('memory-batch') ?? 32) },
    wasmThreads: Number(option('wasm-threads') ?? cpus().length),
    wasmNoThreads: flag('wasm-no-threads'),
    plan: {
      webgpu: { reps: quick ? 1 : 5, budgetMs: quick ? 60_000 : 330_000 },
      webgl: { reps: quick ? 1 : 5, budgetMs: quick ? 60_000 : 120_000 },
      wasm: { reps: quick ? 2 : 7, budgetMs: quick ? 60_000 : 120_000 },
      cpu: { reps: quick ? 1 : 5, budgetMs: quick ? 60_000 : 170_000 },
    },
    out: option('out') ?? path.join(benchDir, 'results', only === 'vocabulary' ? 'vocabulary.json' : 'latest.json'),
  };
}
