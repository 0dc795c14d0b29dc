/**
 * The prompt-tuning loop: only the soft prompt is a tf.Variable; each step differentiates the
 * teacher-forced loss with respect to it alone and lets the optimiser update it.
 * The hot loop never waits on the GPU: losses stay on the device and are read back together
 * every `reportEvery` steps (which is also where a NaN/Inf is caught). Validation, early stopping,
 * checkpoints, pause/resume/stop all happen between steps.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluate } from '../eval/evaluate';
import { seq2seqLoss } from '../model/seq2seqLoss';
import { encoderInput } from '../model/softPromptInput';
import type { T5Model } from '../model/t5Model';
import { seededRandom } from '../random';
import type { EncodedExample } from '../task/task';
import { createOptimizer, DEFAULT_LEARNING_RATE, type OptimizerName } from './optimizerFactory';
import { planEpoch } from './lengthBuckets';
import { initPrompt, type PromptInit } from './promptInit';
import { disposeBatch, makeTrainingBatch } from './trainingBatch';
import { yieldToEventLoop } from './yieldToEventLoop';

export interface TrainerConfig {
  promptLength: number;
  init: PromptInit;
  seed: number;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  steps: number;
  /** When set, train this many passes over the data instead of `steps`. */
  epochs?: number;
  /** Validate every N steps (0: only at the end). */
  evalEvery: number;
  /** Stop after this many validations without improvement (0: never stop early). */
  patience: number;
  /** Dropout inside the frozen model while training. */
  dropoutRate: number;
  /** Save a checkpoint every N steps (0: never). */
  checkpointEvery: number;
  /** Read the loss back from the device every N steps. */
  reportEvery: number;
}

export const DEFAULT_TRAINER_CONFIG: TrainerConfig = {
  promptLength: 100,
  init: 'vocab',
  seed: 0,
  optimizer: 'adafactor',
  learningRate: DEFAULT_LEARNING_RATE.adafactor,
  batchSize: 32,
  steps: 1000,
  evalEvery: 100,
  patience: 0,
  dropoutRate: 0.1,
  checkpointEvery: 100,
  reportEvery: 10,
};

export interface TrainingData {
  train: EncodedExample[];
  validation: EncodedExample[];
  /** Target ids (ending in </s>) of each label. */
  targets: number[][];
  /** Label token ids without </s>, for the `labels` initialisation. */
  labelTokenIds?: number[][];
}

export interface ValidationResult {
  step: number;
  accuracy: number;
  loss: number;
}

export interface ProgressReport {
  step: number;
  /** Loss of each step since the previous report, oldest first. */
  losses: number[];
  learningRate: number;
  examplesPerSecond: number;
  tokensPerSecond: number;
  elapsedMs: number;
}

export interface TrainingCheckpoint {
  step: number;
  promptShape: [number, number];
  prompt: Float32Array;
  optimizer: OptimizerName;
  optimizerState: Array<{ name: string; shape: number[]; values: Float32Array }>;
  best: (ValidationResult & { prompt: Float32Array }) | undefined;
}

export type StopReason = 'completed' | 'stopped' | 'early-stopping' | 'non-finite-loss';

export interface TrainingResult {
  reason: StopReason;
  message: string;
  step: number;
  /** The prompt to keep: the best on validation when there was validation, else the last good one. */
  prompt: Float32Array;
  promptShape: [number, number];
  best: ValidationResult | undefined;
}

export interface TrainerEvents {
  onProgress?(report: ProgressReport): void;
  onValidation?(result: ValidationResult & { isBest: boolean }): void;
  /** Awaited: the loop continues once the checkpoint is stored. */
  onCheckpoint?(checkpoint: TrainingCheckpoint): Promise<void> | void;
  /** After each report, with the live prompt (valid only during the call). */
  onPrompt?(step: number, prompt: tf.Tensor2D): Promise<void> | void;
}

const isFinite32 = (xs: ArrayLike<number>) => Array.prototype.every.call(xs, Number.isFinite);

export class PromptTrainer {
  readonly config: TrainerConfig;
  private prompt: tf.Variable<tf.Rank.R2> | undefined;
  private optimizer: tf.Optimizer;
  private step = 0;
  private lastGood: tf.Tensor2D | undefined;
  private best: (ValidationResult & { prompt: tf.Tensor2D }) | undefined;
  private evalsWithoutImprovement = 0;
  private stopRequested = false;
  private pauseGate: Promise<void> | undefined;
  private releasePause: (() => void) | undefined;

  constructor(
    private readonly model: T5Model,
    private readonly data: TrainingData,
    config: Partial<TrainerConfig>,
    private readonly events: TrainerEvents = {},
  ) {
    if (data.train.length === 0) throw new Error('no training examples');
    const merged = { ...DEFAULT_TRAINER_CONFIG, learningRate: DEFAULT_LEARNING_RATE[config.optimizer ?? 'adafactor'], ...config };
    if (merged.epochs) merged.steps = Math.ceil((merged.epochs * data.train.length) / merged.batchSize);
    this.config = merged;
    this.optimizer = createOptimizer(this.config.optimizer, this.config.learningRate);
  }

  get currentStep(): number {
    return this.step;
  }

  get isPaused(): boolean {
    return this.pauseGate !== undefined;
  }

  /** Create the prompt from its initialisation, or restore a checkpoint to continue from it. */
  async initialise(from?: TrainingCheckpoint | Float32Array): Promise<void> {
    const { promptLength, init, seed } = this.config;
    const width = this.model.config.dModel;
    let values: Float32Array;
    if (from instanceof Float32Array) values = from;
    else if (from) {
      if (from.promptShape[1] !== width) throw new Error(`the checkpoint's prompt is ${from.promptShape[1]} wide but the model's d_model is ${width}`);
      if (from.optimizer !== this.config.optimizer) throw new Error(`the checkpoint was trained with ${from.optimizer}, not ${this.config.optimizer}`);
      values = from.prompt;
      this.step = from.step;
      const state = from.optimizerState.map((w) => ({
        name: w.name.replace(/^prompt/, this.promptName),
        tensor: tf.tensor(w.values, w.shape, w.name === 'iter' ? 'int32' : 'float32'),
      }));
      await this.optimizer.setWeights(state);
      tf.dispose(state.map((s) => s.tensor));
      if (from.best) this.best = { ...from.best, prompt: tf.tensor2d(from.best.prompt, from.promptShape) };
    } else {
      values = (await initPrompt({ init, length: promptLength, seed, embeddings: this.model.weights.shared, labelTokenIds: this.data.labelTokenIds })).values;
    }
    const rows = values.length / width;
    this.prompt?.dispose();
    this.prompt = tf.variable(tf.tensor2d(values, [rows, width]), true, this.promptName);
    this.snapshotLastGood();
  }

  /** Unique per trainer: TF.js variables live in one global registry. */
  private readonly promptName = `soft_prompt_${Math.random().toString(36).slice(2)}`;

  pause(): void {
    if (!this.pauseGate) this.pauseGate = new Promise((resolve) => (this.releasePause = resolve));
  }

  resume(): void {
    this.releasePause?.();
    this.pauseGate = undefined;
    this.releasePause = undefined;
  }

  stop(): void {
    this.stopRequested = true;
    this.resume();
  }

  /** Run until the configured step count, a stop, early stopping or a non-finite loss. */
  async train(): Promise<TrainingResult> {
    if (!this.prompt) await this.initialise();
    const prompt = this.prompt!;
    const { steps, batchSize, reportEvery, evalEvery, checkpointEvery, dropoutRate } = this.config;
    const { padTokenId: pad, decoderStartTokenId: start } = this.model.config;
    const random = seededRandom(this.config.seed * 7919 + this.step);
    const lengths = this.data.train.map((e) => e.inputIds.length);
    let plan: number[][] = [];
    let pending: tf.Scalar[] = [];
    let windowStart = performance.now();
    let windowExamples = 0;
    let windowTokens = 0;
    const started = performance.now();

    while (this.step < steps) {
      if (this.pauseGate) await this.pauseGate;
      if (this.stopRequested) break;
      if (plan.length === 0) plan = planEpoch(lengths, batchSize, random);
      const rows = plan.pop()!.map((i) => {
        const e = this.data.train[i]!;
        return { inputIds: e.inputIds, targetIds: this.data.targets[e.labelIndex]! };
      });
      const batch = makeTrainingBatch(rows, pad, start);
      const cost = this.optimizer.minimize(
        () => {
          const input = encoderInput(this.model, batch.inputIds, batch.attentionMask, prompt);
          return seq2seqLoss(this.model.forward(input.inputsEmbeds, input.attentionMask, batch.decoderInputIds, { dropoutRate }), batch.labels);
        },
        true,
        [prompt],
      )!;
      disposeBatch(batch);
      pending.push(cost);
      this.step++;
      windowExamples += rows.length;
      windowTokens += batch.inputTokens + rows.length * prompt.shape[0];

      const last = this.step === steps;
      if (this.step % reportEvery === 0 || last) {
        const failure = await this.report(pending, windowStart, windowExamples, windowTokens, started);
        pending = [];
        windowStart = performance.now();
        windowExamples = windowTokens = 0;
        if (failure) return failure;
      }
      if ((evalEvery > 0 && this.step % evalEvery === 0) || last) {
        if (await this.validate()) return this.finish('early-stopping', `no validation improvement in ${this.config.patience} evaluations`);
      }
      if (checkpointEvery > 0 && this.step % checkpointEvery === 0) await this.events.onCheckpoint?.(await this.checkpoint());
      await yieldToEventLoop();
    }
    if (pending.length) {
      const failure = await this.report(pending, windowStart, windowExamples, windowTokens, started);
      if (failure) return failure;
    }
    return this.stopRequested ? this.finish('stopped', `stopped at step ${this.step}`) : this.finish('completed', `trained ${this.step} steps`);
  }

  /** Read the pending losses back (one sync), check them, tell the UI. Returns a result if training must stop. */
  private async report(pending: tf.Scalar[], windowStart: number, examples: number, tokens: number, started: number): Promise<TrainingResult | undefined> {
    const prompt = this.prompt!;
    const [lossesT, finiteT] = tf.tidy(() => [tf.stack(pending), tf.all(tf.isFinite(prompt))]);
    const [losses, promptFinite] = await Promise.all([lossesT.data(), finiteT.data()]);
    tf.dispose([lossesT, finiteT, ...pending]);
    const firstStep = this.step - pending.length + 1;
    if (!isFinite32(losses) || !promptFinite[0]) {
      const bad = Array.prototype.findIndex.call(losses, (x: number) => !Number.isFinite(x));
      const where = bad >= 0 ? `the loss became ${losses[bad]} at step ${firstStep + bad}` : `the prompt became non-finite by step ${this.step}`;
      prompt.assign(this.lastGood!);
      return this.finish('non-finite-loss', `${where}. The last good prompt (before step ${firstStep}) is kept. Lower the learning rate or check the data.`);
    }
    this.snapshotLastGood();
    const seconds = (performance.now() - windowStart) / 1000;
    this.events.onProgress?.({
      step: this.step,
      losses: Array.from(losses),
      learningRate: this.config.learningRate,
      examplesPerSecond: examples / seconds,
      tokensPerSecond: tokens / seconds,
      elapsedMs: performance.now() - started,
    });
    await this.events.onPrompt?.(this.step, prompt);
    return undefined;
  }

  /** Validate; keep the best prompt. Returns true when early stopping should end training. */
  private async validate(): Promise<boolean> {
    if (this.data.validation.length === 0) return false;
    const r = await evaluate(this.model, this.prompt!, this.data.validation, this.data.targets, { batchSize: this.config.batchSize });
    const result: ValidationResult = { step: this.step, accuracy: r.accuracy, loss: r.loss };
    const isBest = !this.best || result.accuracy > this.best.accuracy || (result.accuracy === this.best.accuracy && result.loss < this.best.loss);
    if (isBest) {
      this.best?.prompt.dispose();
      this.best = { ...result, prompt: tf.clone(this.prompt!) as tf.Tensor2D };
      this.evalsWithoutImprovement = 0;
    } else {
      this.evalsWithoutImprovement++;
    }
    this.events.onValidation?.({ ...result, isBest });
    return this.config.patience > 0 && this.evalsWithoutImprovement >= this.config.patience;
  }

  /** Everything needed to continue exactly here: prompt, optimiser state, best so far. */
  async checkpoint(): Promise<TrainingCheckpoint> {
    const prompt = this.prompt!;
    const weights = await this.optimizer.getWeights();
    // State names embed the variable's registry name; store them relative to "prompt".
    const optimizerState = await Promise.all(
      weights.map(async (w) => ({ name: w.name.replace(this.promptName, 'prompt'), shape: w.tensor.shape, values: Float32Array.from(await w.tensor.data()) })),
    );
    const iter = weights.find((w) => w.name === 'iter');
    iter?.tensor.dispose();
    return {
      step: this.step,
      promptShape: prompt.shape as [number, number],
      prompt: (await prompt.data()) as Float32Array,
      optimizer: this.config.optimizer,
      optimizerState,
      best: this.best ? { step: this.best.step, accuracy: this.best.accuracy, loss: this.best.loss, prompt: (await this.best.prompt.data()) as Float32Array } : undefined,
    };
  }

  private snapshotLastGood(): void {
    this.lastGood?.dispose();
    this.lastGood = tf.clone(this.prompt!) as tf.Tensor2D;
  }

  private async finish(reason: StopReason, message: string): Promise<TrainingResult> {
    const keep = reason !== 'non-finite-loss' && this.best ? this.best.prompt : this.prompt!;
    const best = this.best ? { step: this.best.step, accuracy: this.best.accuracy, loss: this.best.loss } : undefined;
    return { reason, message, step: this.step, prompt: (await keep.data()) as Float32Array, promptShape: keep.shape as [number, number], best };
  }

  /** The live prompt variable (for evaluation or neighbours between steps). */
  get promptVariable(): tf.Variable<tf.Rank.R2> {
    if (!this.prompt) throw new Error('call initialise() first');
    return this.prompt;
  }

  dispose(): void {
    tf.dispose([this.prompt, this.lastGood, this.best?.prompt]);
    this.optimizer.dispose();
    this.prompt = this.lastGood = this.best = undefined;
  }
}
