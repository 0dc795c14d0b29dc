/**
 * The measured workloads, backend-agnostic (they run on whatever tf.getBackend() is):
 * one prompt-tuning step exactly as the app trains (PromptTrainer's own step: one batched
 * forward + backward via tf.variableGrads over the prompt variable, then Adafactor's
 * applyGradients), ensemble vs single-prompt scoring, flat memory over many steps, and a
 * per-kernel profile.
 */
import * as tf from '@tensorflow/tfjs';
import { scoreEnsemble } from '../src/core/eval/routedScoring';
import { scoreLabels } from '../src/core/eval/scoreLabels';
import type { T5Model } from '../src/core/model/t5Model';
import { allWeightTensors } from '../src/core/model/t5Weights';
import { TRAINING_SETTINGS } from '../src/core/settings/trainingSettings';
import { PromptTrainer, type TrainingData } from '../src/core/tuning/trainer';
import type { MatMulJob, MatMulResult, LeakJob, LeakResult, MemoryReport, ProfileJob, ProfileResult, ScoreJob, ScoreResult, StepJob, StepResult, StepShape } from './types';

/** The app's default dropout inside the frozen model while training (the model's dropout_rate). */
export const TRAIN_DROPOUT = 0.1;
/** Label tokens of the two-token targets: "label </s>". */
const LABEL_TOKENS = [1465, 2841, 7163, 10163, 4158, 3, 5, 7];

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** xorshift32 ids in [3, vocab): deterministic pseudo-text. */
function randomIds(count: number, length: number, vocab: number, seed: number): number[][] {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  return Array.from({ length: count }, () => [...Array.from({ length: length - 1 }, () => 3 + (next() % (vocab - 3))), 1]);
}

function randomPrompt(length: number, width: number, seed: number): Float32Array {
  const out = new Float32Array(length * width);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s | 0) / 2147483648) * 0.5;
  }
  return out;
}

/** Two-token targets (label token, </s>). */
function targets(labels: number): number[][] {
  return Array.from({ length: labels }, (_, i) => [LABEL_TOKENS[i % LABEL_TOKENS.length]!, 1]);
}

// ---- Peak memory. tf.memory().numBytes counts every tensor, so a reshape or a clone that shares
// its buffer counts twice; this counts each data buffer once, by watching the engine add and drop
// them (every allocation goes through Engine.trackTensor, every release through removeDataId).

interface EngineInternals {
  state: { numBytes: number; tensorInfo: WeakMap<object, { backend: unknown; bytes: number }> };
  trackTensor(a: { dataId: object }, backend: unknown): void;
  removeDataId(dataId: object, backend: unknown): void;
}
let bufferBytes = 0;
let peakBufferBytes = 0;
let peakNumBytes = 0;
let hooked = false;
/** Call before the first tensor exists (the page does, at load): buffers made earlier are not counted. */
export function hookPeak(): void {
  if (hooked) return;
  hooked = true;
  const engine = tf.engine() as unknown as EngineInternals;
  const info = engine.state.tensorInfo;
  const track = engine.trackTensor.bind(engine);
  engine.trackTensor = (a, backend) => {
    const isNew = !info.has(a.dataId);
    track(a, backend);
    if (isNew) {
      bufferBytes += info.get(a.dataId)?.bytes ?? 0;
      if (bufferBytes > peakBufferBytes) peakBufferBytes = bufferBytes;
    }
    if (engine.state.numBytes > peakNumBytes) peakNumBytes = engine.state.numBytes;
  };
  const remove = engine.removeDataId.bind(engine);
  engine.removeDataId = (dataId, backend) => {
    const entry = info.get(dataId);
    if (entry && entry.backend === backend) bufferBytes -= entry.bytes;
    remove(dataId, backend);
  };
}
export function resetPeak(): void {
  hookPeak();
  peakBufferBytes = bufferBytes;
  peakNumBytes = tf.memory().numBytes;
}

/** The backend's own memory figure: GPU bytes allocated (WebGPU / WebGL buffer pools) or the WASM heap. */
function backendMemory(): Pick<MemoryReport, 'backendBytes' | 'backendBytesWhat'> {
  const m = tf.memory() as tf.MemoryInfo & Record<string, unknown>;
  const name = tf.getBackend();
  if (name === 'webgpu' && typeof m.numBytesAllocatedInGPU === 'number') return { backendBytes: m.numBytesAllocatedInGPU, backendBytesWhat: 'GPU buffers allocated (pool)' };
  if (name === 'webgl' && typeof m.numBytesInGPUAllocated === 'number') return { backendBytes: m.numBytesInGPUAllocated, backendBytesWhat: 'GPU textures allocated' };
  if (name === 'wasm') {
    const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
    if (wasm?.HEAPU8) return { backendBytes: wasm.HEAPU8.byteLength, backendBytesWhat: 'WASM heap (grows, never shrinks)' };
  }
  return {};
}

export function memoryReport(model: T5Model): MemoryReport {
  const weightBytes = allWeightTensors(model.weights).reduce((s, t) => s + t.size * 4, 0);
  // Alive between steps: weights, their cached transposes, position biases, the prompt and its optimiser state.
  return { peakTensorBytes: peakBufferBytes, peakNumBytes, weightBytes, residentBytes: bufferBytes, ...backendMemory() };
}

// ---- The training step ----

export interface Stepper {
  /** Runs one step and waits for it (reads the loss back). */
  step(): Promise<{ ms: number; loss: number }>;
  impl: string;
  dispose(): void;
}

/**
 * A PromptTrainer on synthetic data of exactly this shape (every input `inputLength` tokens, so no
 * padding), driven one step at a time through its own trainStep: the code the app runs.
 */
export async function makeStepper(model: T5Model, shape: StepShape): Promise<Stepper> {
  const { batch, inputLength, promptLength } = shape;
  const data: TrainingData = {
    train: randomIds(batch * 4, inputLength, model.config.vocabSize, 99 + inputLength).map((inputIds, i) => ({ inputIds, labelIndex: i % 2 })),
    validation: [],
    targets: targets(2),
  };
  const trainer = new PromptTrainer(model, data, {
    promptLength,
    batchSize: batch,
    optimizer: 'adafactor',
    dropoutRate: TRAIN_DROPOUT,
    ensembleSize: 1,
    steps: TRAINING_SETTINGS.steps.max, // never reached: the bench calls trainStep() itself
    evalEvery: 0,
    checkpointEvery: 0,
    reportEvery: Number.MAX_SAFE_INTEGER,
  });
  await trainer.initialise(randomPrompt(promptLength, model.config.dModel, 7));
  return {
    impl: 'PromptTrainer.trainStep (tf.variableGrads over the prompt + AdafactorOptimizer.applyGradients)',
    async step() {
      const t0 = performance.now();
      const out = trainer.trainStep();
      // The device queue is in order: the loss read-back completes after the update was submitted.
      const loss = (await out.memberLosses.data())[0]!;
      const ms = performance.now() - t0;
      out.memberLosses.dispose();
      return { ms, loss };
    },
    dispose: () => trainer.dispose(),
  };
}

const tokensPerStep = (s: StepShape) => (s.inputLength + s.promptLength) * s.batch;

export async function runStep(model: T5Model, job: StepJob, log: (s: string) => void): Promise<StepResult> {
  resetPeak();
  const stepper = await makeStepper(model, job.shape);
  const started = performance.now();
  try {
    const first = await stepper.step();
    log(`  first step ${first.ms.toFixed(0)} ms (loss ${first.loss.toFixed(3)})`);
    for (let i = 1; i < (job.warmup ?? 1); i++) await stepper.step();
    const times: number[] = [];
    let loss = first.loss;
    let note: string | undefined;
    while (times.length < job.reps) {
      const spent = performance.now() - started;
      const estimate = times.length ? median(times) : first.ms;
      if (spent + estimate > job.budgetMs) {
        note = `${times.length} of ${job.reps} timed steps (time budget ${(job.budgetMs / 1000).toFixed(0)} s)`;
        break;
      }
      const r = await stepper.step();
      times.push(r.ms);
      loss = r.loss;
      log(`  step ${times.length}: ${r.ms.toFixed(0)} ms`);
    }
    const medianMs = times.length ? median(times) : undefined;
    return {
      kind: 'step',
      shape: job.shape,
      tokensPerStep: tokensPerStep(job.shape),
      firstStepMs: first.ms,
      timesMs: times,
      medianMs,
      tokensPerSecond: medianMs ? (tokensPerStep(job.shape) * 1000) / medianMs : undefined,
      memory: memoryReport(model),
      note,
      loss,
    };
  } finally {
    stepper.dispose();
  }
}

export async function runLeak(model: T5Model, job: LeakJob, log: (s: string) => void): Promise<LeakResult> {
  const stepper = await makeStepper(model, job.shape);
  try {
    await stepper.step(); // creates the optimiser state
    const before = tf.memory();
    const started = performance.now();
    const samples: LeakResult['samples'] = [];
    let done = 0;
    let note: string | undefined;
    let lastMs = 0;
    while (done < job.steps) {
      if (performance.now() - started + lastMs > job.budgetMs) {
        note = `stopped after ${done} of ${job.steps} steps (time budget ${(job.budgetMs / 1000).toFixed(0)} s)`;
        break;
      }
      lastMs = (await stepper.step()).ms;
      done++;
      if (done % 10 === 0 || done === job.steps) {
        const m = tf.memory();
        samples.push({ step: done, numTensors: m.numTensors, numBytes: m.numBytes });
        log(`  leak check: ${done} steps, ${m.numTensors} tensors, ${m.numBytes} bytes`);
      }
    }
    const after = tf.memory();
    return {
      kind: 'leak',
      shape: job.shape,
      steps: done,
      before: { numTensors: before.numTensors, numBytes: before.numBytes },
      after: { numTensors: after.numTensors, numBytes: after.numBytes },
      samples,
      flat: after.numTensors === before.numTensors && after.numBytes === before.numBytes,
      note,
    };
  } finally {
    stepper.dispose();
  }
}

export async function runScore(model: T5Model, job: ScoreJob, log: (s: string) => void): Promise<ScoreResult> {
  const width = model.config.dModel;
  const prompts = Array.from({ length: job.prompts }, (_, k) => tf.tensor2d(randomPrompt(job.promptLength, width, 11 + k), [job.promptLength, width]));
  const inputIds = randomIds(job.examples, job.inputLength, model.config.vocabSize, 5);
  const t = targets(job.labels);
  const time = async (f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  const single = () => scoreLabels(model, prompts[0], inputIds, t);
  const ensemble = () => scoreEnsemble(model, prompts, inputIds, t);
  try {
    const started = performance.now();
    // Warm-up (shader compilation, position-bias cache) for both shapes.
    const w1 = await time(single);
    const w2 = await time(ensemble);
    log(`  scoring warm-up: single ${w1.toFixed(0)} ms, ensemble ${w2.toFixed(0)} ms`);
    const singleMs: number[] = [];
    const ensembleMs: number[] = [];
    let note: string | undefined;
    for (let i = 0; i < job.reps; i++) {
      const estimate = (singleMs.length ? median(singleMs) + median(ensembleMs) : w1 + w2);
      if (i > 0 && performance.now() - started + estimate > job.budgetMs) {
        note = `${i} of ${job.reps} repetitions (time budget ${(job.budgetMs / 1000).toFixed(0)} s)`;
        break;
      }
      singleMs.push(await time(single));
      ensembleMs.push(await time(ensemble));
      log(`  scoring rep ${i + 1}: single ${singleMs.at(-1)!.toFixed(0)} ms, ensemble ${ensembleMs.at(-1)!.toFixed(0)} ms`);
    }
    const s = median(singleMs);
    const e = median(ensembleMs);
    return { kind: 'score', examples: job.examples, prompts: job.prompts, singleMs, ensembleMs, singleMedianMs: s, ensembleMedianMs: e, ratio: e / s, ratioVsSequential: e / (job.prompts * s), note };
  } finally {
    tf.dispose(prompts);
  }
}

export async function runProfile(model: T5Model, job: ProfileJob): Promise<ProfileResult> {
  const stepper = await makeStepper(model, job.shape);
  try {
    await stepper.step(); // warm-up
    const t0 = performance.now();
    const info = await tf.profile(async () => {
      await stepper.step();
    });
    const wallMs = performance.now() - t0;
    const by = new Map<string, { ms: number; count: number }>();
    for (const k of info.kernels) {
      const e = by.get(k.name) ?? { ms: 0, count: 0 };
      e.ms += Number(k.kernelTimeMs) || 0;
      e.count++;
      by.set(k.name, e);
    }
    const byKernel = [...by].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
    // The same kernel on the same shapes, summed: where the time goes, shape by shape.
    const byShape = new Map<string, { name: string; inputShapes: string; outputShapes: string; ms: number; count: number }>();
    for (const k of info.kernels) {
      const inputShapes = JSON.stringify(k.inputShapes);
      const key = `${k.name} ${inputShapes}`;
      const e = byShape.get(key) ?? { name: k.name, inputShapes, outputShapes: JSON.stringify(k.outputShapes), ms: 0, count: 0 };
      e.ms += Number(k.kernelTimeMs) || 0;
      e.count++;
      byShape.set(key, e);
    }
    const slowest = [...byShape.values()].sort((a, b) => b.ms - a.ms).slice(0, job.top);
    return {
      kind: 'profile',
      shape: job.shape,
      wallMs,
      kernelCount: info.kernels.length,
      totalKernelMs: byKernel.reduce((s, k) => s + k.ms, 0),
      byKernel: byKernel.slice(0, job.top),
      slowest,
    };
  } finally {
    stepper.dispose();
  }
}

export async function runMatMul(job: MatMulJob): Promise<MatMulResult> {
  const { m, k, n } = job;
  const x = tf.randomNormal([m, k]) as tf.Tensor2D;
  const w = tf.randomNormal([n, k]) as tf.Tensor2D; // PyTorch layout [out, in]
  const wT = tf.transpose(w) as tf.Tensor2D; // [in, out]
  const dy = tf.randomNormal([m, n]) as tf.Tensor2D;
  const time = async (f: () => tf.Tensor) => {
    const times: number[] = [];
    for (let i = 0; i <= job.reps; i++) {
      const t0 = performance.now();
      const y = f();
      await y.data();
      if (i > 0) times.push(performance.now() - t0);
      y.dispose();
    }
    return median(times);
  };
  try {
    return {
      kind: 'matmul',
      m,
      k,
      n,
      transposeB: await time(() => tf.matMul(x, w, false, true)),
      preTransposed: await time(() => tf.matMul(x, wT)),
      backwardDx: await time(() => tf.matMul(dy, w)),
    };
  } finally {
    tf.dispose([x, w, wT, dy]);
  }
}
