/**
 * Everything the training worker does, independent of `self`: it takes WorkerRequests and emits
 * WorkerEvents through a callback, so Node tests drive it directly and the worker file is a thin
 * adapter. The session owns the requests, the run (training, saving, resuming); the ModelHost owns
 * the model and the GPU; CurrentPrompts owns the prompts that evaluate / predict / export use.
 * One model, one set of current prompts and at most one run at a time.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName, BackendOptions } from '../backend';
import { checkBeforeStart } from '../model/startMemoryCheck';
import type { T5Config } from '../model/t5Config';
import { parameterCount } from '../model/t5Weights';
import { SettingsError, validate, withDefaults, type TrainingSettings } from '../settings/trainingSettings';
import type { RunRecord, RunStore } from '../storage/runRecord';
import { defaultRunLocks, type RunLocks } from '../storage/runLocks';
import { newRunRecord, recordProgress, recordValidation, rewindRun } from '../storage/runRecorder';
import { runsAnnouncer } from '../storage/runsChannel';
import { prepareTrainingData } from '../task/trainingData';
import { validationBaseline } from './validationBaseline';
import { PromptTrainer } from '../tuning/trainer';
import { settingsOf } from '../tuning/trainerConfig';
import { CurrentPrompts } from './currentPrompts';
import { ModelHost } from './modelHost';
import { PromptInterpreter } from './promptInterpreter';
import type { ModelSpec, SessionState, WorkerEvent, WorkerRequest } from './protocol';

type Request<T extends WorkerRequest['type']> = Extract<WorkerRequest, { type: T }>;

export class TrainingSession {
  private readonly host: ModelHost;
  private readonly prompts: CurrentPrompts;
  private readonly interpreter: PromptInterpreter;
  private trainer: PromptTrainer | undefined;
  private run: RunRecord | undefined;
  /** The last start request and its checkpoint step, to resume after a GPU fault. */
  private lastStart: Request<'start'> | undefined;
  private lastCheckpointStep: number | undefined;
  private starting = false;
  /** Tells the other tabs' saved-runs lists that a run changed. */
  private readonly announce = runsAnnouncer();

  constructor(
    private readonly emit: (event: WorkerEvent) => void,
    private readonly store?: RunStore,
    backendOptions: BackendOptions = {},
    /** One owner per run across tabs (Web Locks in the browser). */
    private readonly locks: RunLocks = defaultRunLocks(),
  ) {
    this.host = new ModelHost(emit, backendOptions, () => this.trainer?.stop());
    this.prompts = new CurrentPrompts(this.host, emit);
    this.interpreter = new PromptInterpreter(this.host, this.prompts, emit, store);
  }

  async handle(request: WorkerRequest): Promise<void> {
    try {
      switch (request.type) {
        case 'init':
          return void (await this.host.selectBackend(request.backends));
        case 'load-model':
          return await this.loadModel(request.model, request.backends);
        case 'recover':
          return await this.recover(request.backends);
        case 'simulate-device-loss':
          return this.host.destroyDevice();
        case 'cancel-load':
          return this.host.cancelLoad();
        case 'start':
          return await this.start(request);
        case 'pause':
          this.trainer?.pause();
          return this.setState('paused');
        case 'resume':
          this.trainer?.resume();
          return this.setState('training');
        case 'stop':
          return this.trainer?.stop();
        case 'open-run':
          return await this.prompts.open(this.store, request.runId);
        case 'import-prompts':
          return this.prompts.import(request.files);
        case 'evaluate':
          return await this.prompts.evaluate(request.requestId, request.examples, request.baselineTemplate);
        case 'predict':
          return await this.prompts.predict(request.requestId, request.texts, request.fields);
        case 'export':
          return this.prompts.export(request.format, request.member, request.requestId);
        case 'vocabulary-map':
          return await this.interpreter.vocabularyMap(request);
        case 'interpret':
          return await this.interpreter.interpret(request);
        case 'read-example':
          return await this.interpreter.readExample(request);
        case 'compare-prompts':
          return await this.interpreter.compare(request);
      }
    } catch (e) {
      const aborted = (e as Error).name === 'AbortError' && request.type === 'load-model';
      this.emit({ type: 'error', message: aborted ? 'The download was cancelled.' : ((e as Error).message ?? String(e)), during: request.type });
      if (request.type === 'load-model') this.setState(this.host.model ? 'ready' : 'idle');
    }
  }

  private setState(state: SessionState): void {
    this.emit({ type: 'state', state });
  }

  private async loadModel(spec: ModelSpec, backends?: BackendName[]): Promise<void> {
    if (this.trainer) throw new Error('a run is in progress; stop it before loading another model');
    this.setState('loading');
    await this.host.load(spec, backends);
    this.prompts.set(undefined);
    this.setState('ready');
  }

  /** Start a backend again after a fault (a fresh WebGPU device, or a fallback), reload the model, resume the run. */
  private async recover(backends?: BackendName[]): Promise<void> {
    if (this.trainer) throw new Error('the run is still stopping; try again in a moment');
    const spec = this.host.spec;
    if (!spec) throw new Error('there is nothing to recover: no model was loaded');
    this.setState('loading');
    this.host.resetBackend();
    await this.loadModel(spec, backends);
    if (this.lastStart) await this.start({ ...this.lastStart, resume: true });
  }

  /** Train (or resume) a run, owning it across tabs for as long as it trains. */
  private async start(request: Request<'start'>): Promise<void> {
    this.host.requireTokenizer();
    if (this.trainer || this.starting) throw new Error('a run is already in progress');
    const release = await this.locks.tryAcquire(request.runId);
    if (!release) throw new Error('This run is training in another tab of the studio. Continue there, or close that tab and resume the run here.');
    this.starting = true; // until the trainer exists (choosing the backend can take a while)
    try {
      await this.train(request);
    } finally {
      this.starting = false;
      release();
    }
  }

  private async train(request: Request<'start'>): Promise<void> {
    const loaded = this.host.requireModel();
    const tokenizer = this.host.requireTokenizer();
    // Read and validated once; every use below takes these settings.
    const requested = { ...settingsOf(request.config), validationFraction: request.validationFraction };
    const problems = validate(requested);
    if (problems.length) throw new SettingsError(problems);
    const settings = withDefaults(requested);
    this.checkMemory(loaded.config, request.task?.maxInputTokens ? { ...settings, maxInputTokens: request.task.maxInputTokens } : settings);
    this.lastStart = request;
    this.lastCheckpointStep = undefined;
    const { task, data, truncated } = prepareTrainingData(tokenizer, request.examples, {
      task: request.task,
      validation: request.validation,
      validationFraction: settings.validationFraction,
      seed: settings.seed,
      promptLength: settings.promptLength,
      eosTokenId: loaded.config.eosTokenId,
    });
    this.emit({ type: 'data', train: data.train.length, validation: data.validation.length, truncated, labels: task.labels, targetTexts: task.targetTexts, template: task.template, ...(task.kind ? { kind: task.kind } : {}) });
    if (request.baselineTemplate !== undefined) {
      const split = { validation: request.validation, validationFraction: settings.validationFraction, seed: settings.seed };
      const baseline = await validationBaseline(loaded.model, tokenizer, request.examples, { ...task, template: request.baselineTemplate }, split);
      if (baseline) this.emit({ type: 'baseline', split: 'validation', ...baseline });
    }
    const maxInputTokens = request.task?.maxInputTokens ?? settings.maxInputTokens;
    const shape = { batchSize: settings.batchSize, promptLength: settings.promptLength, maxInputTokens, ensembleSize: settings.ensembleSize };
    // A new backend holds a different amount of memory: check again there.
    if (await this.host.chooseForRun(request.backendPreferences, data, request.config, shape)) this.checkMemory(loaded.config, withDefaults({ ...settingsOf(request.config), maxInputTokens }));

    const checkpoint = request.resume ? await this.store?.loadCheckpoint(request.runId) : undefined;
    if (request.resume && !checkpoint) throw new Error('this run has no saved checkpoint to resume from');
    const previous = request.resume ? await this.store?.loadRun(request.runId) : undefined;
    const trainer = new PromptTrainer(this.host.requireModel().model, data, request.config, {
      onProgress: (p) => {
        const { numTensors, numBytes } = tf.memory();
        this.emit({ type: 'progress', ...p, memory: { tensors: numTensors, bytes: numBytes } });
        recordProgress(this.run!, p);
      },
      onValidation: (v) => {
        this.emit({ type: 'validation', ...v });
        recordValidation(this.run!, v);
        void this.saveRun();
      },
      onCheckpoint: async (c) => {
        if (!this.store) return;
        try {
          await this.store.saveCheckpoint(request.runId, c);
          this.lastCheckpointStep = c.step;
          this.emit({ type: 'checkpoint', step: c.step });
        } catch (e) {
          this.emit({ type: 'error', message: (e as Error).message, during: 'checkpoint' });
        }
        await this.saveRun();
      },
      onPrompt: async (step, prompts) => {
        const every = request.neighboursEvery ?? 0;
        if (every > 0 && step % every === 0) await this.emitNeighbours(step, prompts[0]!);
      },
    });
    const spec = this.host.spec!;
    this.run =
      previous ??
      newRunRecord({
        id: request.runId,
        modelId: this.host.modelId,
        config: trainer.config,
        task,
        resume: {
          examples: request.examples,
          validation: request.validation,
          validationFraction: request.validationFraction,
          neighboursEvery: request.neighboursEvery,
          model: spec.kind === 'url' ? { kind: 'url', id: spec.id, base: spec.base, tokenizerBase: spec.tokenizerBase } : { kind: 'files', id: spec.id },
        },
      });
    this.run.status = 'training';
    if (checkpoint) rewindRun(this.run, checkpoint.step);
    this.trainer = trainer;
    this.lastCheckpointStep = checkpoint?.step;
    await this.saveRun();
    let interrupted = false;
    try {
      await trainer.initialise(checkpoint);
      this.interpreter.beginRun({ init: trainer.config.ensembleInits?.[0] ?? trainer.config.init, initSeed: trainer.config.seed, labels: task.targetTexts }, trainer.config.promptLength);
      if (request.neighboursEvery) await this.emitNeighbours(trainer.currentStep, trainer.promptVariables[0]!);
      this.setState('training');
      const result = await trainer.train().catch((e: Error) => {
        if (!this.host.isGpuFailure(e)) throw e;
        return undefined;
      });
      if (!result || this.host.gpuFault) {
        // The prompts on the device are gone; the run and its last checkpoint are safe in storage.
        interrupted = true;
        this.run.status = 'stopped';
        this.run.message = `${this.host.gpuFault}. Saved at step ${this.lastCheckpointStep ?? 0}.`;
        await this.saveRun();
        this.emit({ type: 'gpu-lost', message: this.run.message, runId: request.runId, checkpointStep: this.lastCheckpointStep });
        return;
      }
      this.prompts.set({ values: result.prompts, shape: result.promptShape, task, steps: result.step, init: trainer.config.init, validation: result.best, initSeeds: result.prompts.map((_, k) => trainer.config.seed + k) });
      this.run.status = result.reason === 'non-finite-loss' ? 'failed' : result.reason === 'stopped' ? 'stopped' : 'completed';
      this.run.message = result.message;
      if (this.store) {
        await this.store.saveCheckpoint(request.runId, await trainer.checkpoint()).catch((e: Error) => this.emit({ type: 'error', message: e.message, during: 'checkpoint' }));
        await this.saveRun();
      }
      const { prompts: _prompts, ...summary } = result;
      this.emit({ type: 'done', result: summary });
    } finally {
      if (!interrupted) trainer.dispose(); // after a GPU fault its tensors cannot be touched
      this.trainer = undefined;
      this.setState(interrupted ? 'interrupted' : 'finished');
    }
  }

  /** The settings may have changed since the Model step checked: refuse a run that will not fit, warn when it is close. */
  private checkMemory(config: T5Config, settings: TrainingSettings): void {
    const budget = this.host.memoryBudget();
    if (!budget) return;
    const check = checkBeforeStart(config, parameterCount(config), settings, budget, 'Or train it on a bigger GPU: Keep → Continue on a GPU cluster.');
    if (check.status === 'refused') throw new Error(check.message);
    if (check.status === 'close') this.emit({ type: 'warning', message: check.message });
  }

  /** Persist the run record; a storage failure is reported, never fatal to training. */
  private async saveRun(): Promise<void> {
    if (!this.store || !this.run) return;
    try {
      await this.store.saveRun({ ...this.run, updatedAt: new Date().toISOString() });
      this.announce({ runId: this.run.id, status: this.run.status });
    } catch (e) {
      this.emit({ type: 'error', message: (e as Error).message, during: 'checkpoint' });
    }
  }

  private async emitNeighbours(step: number, prompt: tf.Tensor2D): Promise<void> {
    this.emit(await this.interpreter.snapshot(step, prompt));
  }

  dispose(): void {
    this.trainer?.stop();
    this.host.dispose();
  }
}
