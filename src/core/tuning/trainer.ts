/**
 * The prompt-tuning loop. Only soft prompts are tf.Variables; each step differentiates the
 * teacher-forced loss with respect to them alone and lets the optimiser update them.
 *
 * It trains K prompts at once (an ensemble; K = 1 is ordinary prompt tuning): every member draws
 * its own batch, the K batches run through the frozen model as ONE batch with each row routed to
 * its member's prompt, and the objective is the sum of the members' mean token losses, so each
 * prompt's gradient is exactly what training it alone would give.
 *
 * The hot loop never waits on the GPU: losses stay on the device and are read back together every
 * `reportEvery` steps (which is also where a NaN/Inf is caught). Validation, early stopping,
 * checkpoints, pause/resume/stop all happen between steps.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluateEnsemble } from '../eval/evaluateEnsemble';
import { validateText } from '../eval/validateText';
import type { T5Model } from '../model/t5Model';
import { seededRandom, type Random } from '../random';
import { ensembleStep } from './ensembleStep';
import { planEpoch } from './lengthBuckets';
import { createOptimizer, DEFAULT_LEARNING_RATE } from './optimizerFactory';
import { initPrompt } from './promptInit';
import { SettingsError, validate } from '../settings/trainingSettings';
import { DEFAULT_TRAINER_CONFIG, settingsOf, type TrainerConfig } from './trainerConfig';
import type { StopReason, TrainerEvents, TrainingCheckpoint, TrainingData, TrainingResult } from './trainingReports';
import { yieldToEventLoop } from './yieldToEventLoop';

export { DEFAULT_TRAINER_CONFIG, type TrainerConfig } from './trainerConfig';
export type * from './trainingReports';

interface Member {
  variable: tf.Variable<tf.Rank.R2>;
  lastGood: tf.Tensor2D;
  best?: { step: number; accuracy: number; loss: number; prompt: tf.Tensor2D };
  random: Random;
  plan: number[][];
}

const allFinite = (xs: ArrayLike<number>) => Array.prototype.every.call(xs, Number.isFinite);

export class PromptTrainer {
  readonly config: TrainerConfig;
  /** The configured dropout, else the model's own. */
  private readonly dropoutRate: number;
  private readonly optimizer: tf.Optimizer;
  private members: Member[] = [];
  private step = 0;
  private evalsWithoutImprovement = 0;
  private stopRequested = false;
  private pauseGate: Promise<void> | undefined;
  private releasePause: (() => void) | undefined;
  /** Unique per trainer: TF.js variables live in one global registry. */
  private readonly baseName = `soft_prompt_${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly model: T5Model,
    private readonly data: TrainingData,
    config: Partial<TrainerConfig>,
    private readonly events: TrainerEvents = {},
  ) {
    if (data.train.length === 0) throw new Error('no training examples');
    const merged = { ...DEFAULT_TRAINER_CONFIG, learningRate: DEFAULT_LEARNING_RATE[config.optimizer ?? DEFAULT_TRAINER_CONFIG.optimizer], ...config };
    // The learning rate is left unbounded here: a rate that diverges is an outcome the loop reports
    // (a non-finite loss, the last good prompt kept), and tests drive the loop into it on purpose.
    const problems = validate(settingsOf(merged, ['learningRate']));
    if (problems.length) throw new SettingsError(problems);
    if (merged.epochs) merged.steps = Math.ceil((merged.epochs * data.train.length) / merged.batchSize);
    this.config = merged;
    this.dropoutRate = merged.dropoutRate ?? model.config.dropoutRate;
    this.optimizer = createOptimizer(merged.optimizer, merged.learningRate);
  }

  get currentStep(): number {
    return this.step;
  }

  get isPaused(): boolean {
    return this.pauseGate !== undefined;
  }

  /** The live prompt variables (for evaluation or neighbours between steps). */
  get promptVariables(): tf.Variable<tf.Rank.R2>[] {
    if (this.members.length === 0) throw new Error('call initialise() first');
    return this.members.map((m) => m.variable);
  }

  private variableName(k: number): string {
    return `${this.baseName}_${k}`;
  }

  /**
   * Create the prompts from their initialisation, from given values (one array per member), or
   * from a checkpoint to continue exactly where it was saved.
   */
  async initialise(from?: TrainingCheckpoint | Float32Array | Float32Array[]): Promise<void> {
    const { promptLength, init, seed, ensembleSize: K, ensembleInits } = this.config;
    const width = this.model.config.dModel;
    let values: Float32Array[];
    let checkpoint: TrainingCheckpoint | undefined;
    if (from instanceof Float32Array) values = [from];
    else if (Array.isArray(from)) values = from;
    else if (from) {
      checkpoint = from;
      if (from.promptShape[1] !== width) throw new Error(`the checkpoint's prompt is ${from.promptShape[1]} wide but the model's d_model is ${width}`);
      if (from.optimizer !== this.config.optimizer) throw new Error(`the checkpoint was trained with ${from.optimizer}, not ${this.config.optimizer}`);
      values = from.prompts;
    } else {
      values = [];
      for (let k = 0; k < K; k++) {
        const memberInit = ensembleInits?.length ? ensembleInits[k % ensembleInits.length]! : init;
        values.push((await initPrompt({ init: memberInit, length: promptLength, seed: seed + k, embeddings: this.model.weights.shared, labelTokenIds: this.data.labelTokenIds })).values);
      }
    }
    if (values.length !== K) throw new Error(`expected ${K} prompt${K > 1 ? 's' : ''}, got ${values.length}`);
    this.disposeMembers();
    this.step = checkpoint?.step ?? 0;
    this.members = values.map((v, k) => {
      // In a tidy: the initial tensor is released, the variable keeps its data (else one tensor leaks per run).
      const variable = tf.tidy(() => tf.variable(tf.tensor2d(v, [v.length / width, width]), true, this.variableName(k)));
      const best = checkpoint?.best[k];
      return {
        variable,
        lastGood: tf.clone(variable) as tf.Tensor2D,
        best: best ? { ...best, prompt: tf.tensor2d(best.prompt, checkpoint!.promptShape) } : undefined,
        random: seededRandom((seed + k) * 7919 + this.step),
        plan: [],
      };
    });
    if (checkpoint) {
      const state = checkpoint.optimizerState.map((w) => ({
        name: w.name.replace(/^prompt(\d+)/, (_, k: string) => this.variableName(Number(k))),
        tensor: tf.tensor(w.values, w.shape, w.name === 'iter' ? 'int32' : 'float32'),
      }));
      await this.optimizer.setWeights(state);
      tf.dispose(state.map((s) => s.tensor));
    }
  }

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
    if (this.members.length === 0) await this.initialise();
    const { steps, reportEvery, evalEvery, checkpointEvery } = this.config;
    let pending: tf.Tensor1D[] = [];
    let window = { start: performance.now(), examples: 0, tokens: 0 };
    const started = performance.now();

    while (this.step < steps) {
      if (this.pauseGate) await this.pauseGate;
      if (this.stopRequested) break;
      const { memberLosses, examples, tokens } = this.trainStep();
      pending.push(memberLosses);
      this.step++;
      window.examples += examples;
      window.tokens += tokens;

      const last = this.step === steps;
      if (this.step % reportEvery === 0 || last) {
        const failure = await this.report(pending, window, started);
        pending = [];
        window = { start: performance.now(), examples: 0, tokens: 0 };
        if (failure) return failure;
      }
      if ((evalEvery > 0 && this.step % evalEvery === 0) || last) {
        if (await this.validate()) return this.finish('early-stopping', `no validation improvement in ${this.config.patience} evaluations`);
      }
      if (checkpointEvery > 0 && this.step % checkpointEvery === 0) await this.events.onCheckpoint?.(await this.checkpoint());
      await yieldToEventLoop();
    }
    if (pending.length) {
      const failure = await this.report(pending, window, started);
      if (failure) return failure;
    }
    return this.stopRequested ? this.finish('stopped', `stopped at step ${this.step}`) : this.finish('completed', `trained ${this.step} steps`);
  }

  /**
   * One optimisation step on the next batch of every member (all members in the same passes),
   * nothing else (no reporting, no validation): the loop above calls it, and `npm run bench` times
   * it. A batch over `maxTokensPerPass` runs as several passes whose gradients add up to the whole
   * batch's (microBatches.ts). The caller owns the returned per-member losses (still on the device).
   */
  trainStep(): { memberLosses: tf.Tensor1D; examples: number; tokens: number } {
    const K = this.members.length;
    const lengths = this.data.train.map((e) => e.inputIds.length);
    const rows = this.members.flatMap((m, k) => {
      if (m.plan.length === 0) m.plan = planEpoch(lengths, this.config.batchSize, m.random);
      return m.plan.pop()!.map((i) => {
        const e = this.data.train[i]!;
        return { inputIds: e.inputIds, targetIds: this.data.targets[e.labelIndex]!, member: k };
      });
    });
    const variables = this.members.map((m) => m.variable);
    const { memberLosses, inputTokens } = ensembleStep(this.model, variables, rows, this.optimizer, { dropoutRate: this.dropoutRate, maxTokensPerPass: this.config.maxTokensPerPass });
    const promptLength = variables[0]!.shape[0];
    return { memberLosses: memberLosses!, examples: rows.length, tokens: inputTokens + rows.length * promptLength };
  }

  /** Read the pending losses back (one sync), check them, tell the UI. Returns a result if training must stop. */
  private async report(pending: tf.Tensor1D[], window: { start: number; examples: number; tokens: number }, started: number): Promise<TrainingResult | undefined> {
    const variables = this.members.map((m) => m.variable);
    const [lossesT, finiteT] = tf.tidy(() => [tf.stack(pending), tf.all(tf.stack(variables.map((v) => tf.all(tf.isFinite(v)))))]);
    const [flat, promptsFinite] = await Promise.all([lossesT.data(), finiteT.data()]);
    tf.dispose([lossesT, finiteT, ...pending]);
    const K = this.members.length;
    const firstStep = this.step - pending.length + 1;
    if (!allFinite(flat) || !promptsFinite[0]) {
      const bad = Array.prototype.findIndex.call(flat, (x: number) => !Number.isFinite(x));
      const where = bad >= 0 ? `the loss became ${flat[bad]} at step ${firstStep + Math.floor(bad / K)}` : `a prompt became non-finite by step ${this.step}`;
      for (const m of this.members) m.variable.assign(m.lastGood);
      return this.finish('non-finite-loss', `${where}. The last good prompt (before step ${firstStep}) is kept. Lower the learning rate or check the data.`);
    }
    for (const m of this.members) {
      m.lastGood.dispose();
      m.lastGood = tf.clone(m.variable) as tf.Tensor2D;
    }
    const memberLosses = this.members.map((_, k) => pending.map((__, j) => flat[j * K + k]!));
    const seconds = (performance.now() - window.start) / 1000;
    this.events.onProgress?.({
      step: this.step,
      losses: pending.map((_, j) => memberLosses.reduce((s, l) => s + l[j]!, 0) / K),
      memberLosses,
      learningRate: this.config.learningRate,
      examplesPerSecond: window.examples / seconds,
      tokensPerSecond: window.tokens / seconds,
      elapsedMs: performance.now() - started,
    });
    await this.events.onPrompt?.(this.step, variables);
    return undefined;
  }

  /** Validate all members in one batched pass each chunk; keep each one's best. True when early stopping should end training. */
  private async validate(): Promise<boolean> {
    if (this.data.validation.length === 0) return false;
    const r = await this.validateOnce();
    const members = r.members.map((result: { accuracy: number; loss: number; f1?: number }, k) => {
      const m = this.members[k]!;
      const isBest = !m.best || result.accuracy > m.best.accuracy || (result.accuracy === m.best.accuracy && result.loss < m.best.loss);
      if (isBest) {
        m.best?.prompt.dispose();
        m.best = { step: this.step, accuracy: result.accuracy, loss: result.loss, prompt: tf.clone(m.variable) as tf.Tensor2D };
      }
      return { ...result, isBest };
    });
    const improved = members.some((m) => m.isBest);
    this.evalsWithoutImprovement = improved ? 0 : this.evalsWithoutImprovement + 1;
    const K = members.length;
    const loss = members.reduce((s, m) => s + m.loss, 0) / K;
    const overall: { accuracy: number; f1?: number } = K === 1 ? members[0]! : r.ensemble;
    this.events.onValidation?.({ step: this.step, accuracy: overall.accuracy, ...(overall.f1 === undefined ? {} : { f1: overall.f1 }), loss, isBest: improved, members: K > 1 ? members : undefined });
    return this.config.patience > 0 && this.evalsWithoutImprovement >= this.config.patience;
  }

  /** Rank classification, or for a text task generated answers compared as text (exact match, F1). */
  private validateOnce() {
    const { validation, targets, text } = this.data;
    if (this.data.kind !== 'text') return evaluateEnsemble(this.model, this.promptVariables, validation, targets, { batchSize: this.config.batchSize });
    if (!text) throw new Error('a text task validates its answers as text: its training data needs the target texts and a decode (prepareTrainingData gives both)');
    return validateText(this.model, this.promptVariables, validation, targets, { batchSize: this.config.batchSize, ...text });
  }

  /** Everything needed to continue exactly here: prompts, optimiser state, best so far. */
  async checkpoint(): Promise<TrainingCheckpoint> {
    const weights = await this.optimizer.getWeights();
    // State names embed the variables' registry names; store them as prompt0, prompt1, ...
    const optimizerState = await Promise.all(
      weights.map(async (w) => ({
        name: w.name.replace(new RegExp(`^${this.baseName}_(\\d+)`), 'prompt$1'),
        shape: w.tensor.shape,
        values: Float32Array.from(await w.tensor.data()),
      })),
    );
    weights.find((w) => w.name === 'iter')?.tensor.dispose();
    return {
      step: this.step,
      promptShape: this.members[0]!.variable.shape as [number, number],
      prompts: await Promise.all(this.members.map(async (m) => (await m.variable.data()) as Float32Array)),
      optimizer: this.config.optimizer,
      optimizerState,
      best: await Promise.all(this.members.map(async (m) => (m.best ? { step: m.best.step, accuracy: m.best.accuracy, loss: m.best.loss, prompt: (await m.best.prompt.data()) as Float32Array } : undefined))),
    };
  }

  private async finish(reason: StopReason, message: string): Promise<TrainingResult> {
    const keep = this.members.map((m) => (reason !== 'non-finite-loss' && m.best ? m.best.prompt : m.variable));
    return {
      reason,
      message,
      step: this.step,
      prompts: await Promise.all(keep.map(async (t) => (await t.data()) as Float32Array)),
      promptShape: keep[0]!.shape as [number, number],
      best: this.members.map((m) => (m.best ? { step: m.best.step, accuracy: m.best.accuracy, loss: m.best.loss } : undefined)),
    };
  }

  private disposeMembers(): void {
    for (const m of this.members) tf.dispose([m.variable, m.lastGood, m.best?.prompt]);
    this.members = [];
  }

  dispose(): void {
    this.disposeMembers();
    this.optimizer.dispose();
  }
}
