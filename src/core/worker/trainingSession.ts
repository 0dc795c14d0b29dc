/**
 * Everything the training worker does, independent of `self`: it takes WorkerRequests and emits
 * WorkerEvents through a callback, so Node tests drive it directly and the worker file is a thin
 * adapter. One model, one set of current prompts (trained or imported) and at most one run at a time.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendChoice, type BackendOptions } from '../backend';
import { stratifiedSplit } from '../data/stratifiedSplit';
import { ensembleVote } from '../eval/ensembleVote';
import { evaluateEnsemble } from '../eval/evaluateEnsemble';
import { scoreEnsemble } from '../eval/routedScoring';
import { cachedSource, openModelCache } from '../io/cachedSource';
import { fileListSource, urlSource, type ModelSource } from '../io/modelSource';
import { nearestNeighbours, withTokens } from '../interpret/nearestNeighbours';
import { loadT5, type LoadedT5 } from '../model/loadT5';
import { parameterCount } from '../model/t5Weights';
import { exportPeftZip, importPrompt } from '../promptFile/peftAdapter';
import { writePromptFile } from '../promptFile/promptFile';
import { checkPromptWidth, type PromptMetadata } from '../promptFile/softPrompt';
import type { RunRecord, RunStore } from '../storage/runRecord';
import { encodeExamples, encodeTargets, taskFromExamples } from '../task/taskFormat';
import type { TaskSpec } from '../task/task';
import { PromptTrainer } from '../tuning/trainer';
import type { ModelSpec, SessionState, WorkerEvent, WorkerRequest } from './protocol';

type Request<T extends WorkerRequest['type']> = Extract<WorkerRequest, { type: T }>;

/** The prompts that evaluate / predict / export use: the last run's, or imported ones. */
interface CurrentPrompts {
  values: Float32Array[];
  shape: [number, number];
  task: TaskSpec;
  steps: number;
  init: string;
  /** Each prompt's best validation, for choosing what to export. */
  validation: Array<{ accuracy: number; loss: number } | undefined>;
}

/** A model source that takes tokenizer files from a second source when the first has none. */
function withTokenizerFallback(primary: ModelSource, tokenizer: ModelSource): ModelSource {
  return {
    description: primary.description,
    async read(file, options) {
      const bytes = await primary.read(file, options);
      return bytes ?? (file.startsWith('tokenizer') ? tokenizer.read(file, options) : undefined);
    },
  };
}

export class TrainingSession {
  private loaded: LoadedT5 | undefined;
  private modelId = '';
  private trainer: PromptTrainer | undefined;
  private run: RunRecord | undefined;
  private current: CurrentPrompts | undefined;
  private loadAbort: AbortController | undefined;
  private modelSpec: ModelSpec | undefined;
  /** Chosen once: TF.js backends are global to the worker. */
  private backend: Promise<BackendChoice> | undefined;
  /** Why the GPU is gone (device lost, out of memory), once it is. */
  private gpuFault: string | undefined;
  /** The last start request and its checkpoint step, to resume after a GPU fault. */
  private lastStart: Request<'start'> | undefined;
  private lastCheckpointStep: number | undefined;

  constructor(
    private readonly emit: (event: WorkerEvent) => void,
    private readonly store?: RunStore,
    private readonly backendOptions: BackendOptions = {},
  ) {}

  async handle(request: WorkerRequest): Promise<void> {
    try {
      switch (request.type) {
        case 'init':
          return void (await this.selectBackend(request.backends));
        case 'load-model':
          return await this.loadModel(request.model, request.backends);
        case 'recover':
          return await this.recover(request.backends);
        case 'simulate-device-loss':
          return this.webgpuDevice()?.destroy();
        case 'cancel-load':
          return this.loadAbort?.abort();
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
          return await this.openRun(request.runId);
        case 'import-prompts':
          return this.importPrompts(request.files);
        case 'evaluate':
          return await this.evaluate(request);
        case 'predict':
          return await this.predict(request);
        case 'export':
          return this.export(request.format, request.member);
      }
    } catch (e) {
      const aborted = (e as Error).name === 'AbortError' && request.type === 'load-model';
      this.emit({ type: 'error', message: aborted ? 'The download was cancelled.' : ((e as Error).message ?? String(e)), during: request.type });
      if (request.type === 'load-model') this.setState(this.loaded ? 'ready' : 'idle');
    }
  }

  private setState(state: SessionState): void {
    this.emit({ type: 'state', state });
  }

  private requireModel(): LoadedT5 {
    if (!this.loaded) throw new Error('load a model first');
    return this.loaded;
  }

  private async modelSource(spec: ModelSpec): Promise<ModelSource> {
    if (spec.kind === 'files') return fileListSource(spec.files, spec.id);
    const cache = spec.cache === false ? undefined : await openModelCache();
    const remote = (base: string) => {
      const source = urlSource(base);
      return cache ? cachedSource(source, cache, base, { onCacheError: (e) => this.emit({ type: 'warning', message: e.message }) }) : source;
    };
    const model = remote(spec.base);
    return spec.tokenizerBase && spec.tokenizerBase !== spec.base ? withTokenizerFallback(model, remote(spec.tokenizerBase)) : model;
  }

  private selectBackend(backends?: Parameters<typeof selectBackend>[0]): Promise<BackendChoice> {
    if (!this.backend) {
      this.backend = selectBackend(backends, this.backendOptions);
      this.backend.then(
        (choice) => {
          this.gpuFault = undefined;
          this.watchDevice();
          this.emit({ type: 'backend', name: choice.name, reason: choice.reason, detail: choice.detail });
        },
        () => (this.backend = undefined),
      );
    }
    return this.backend;
  }

  private webgpuDevice(): GPUDevice | undefined {
    return tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as { device?: GPUDevice }).device : undefined;
  }

  /** A lost device or a GPU out-of-memory stops the run at the next step; its checkpoint stays. */
  private watchDevice(): void {
    const device = this.webgpuDevice();
    if (!device) return;
    void device.lost.then((info) => {
      this.gpuFault ??= `The GPU was lost (${info.message || info.reason})`;
      this.trainer?.stop();
    });
    device.addEventListener('uncapturederror', (e) => {
      const error = (e as GPUUncapturedErrorEvent).error;
      if (error.constructor.name === 'GPUOutOfMemoryError' || /out of memory/i.test(error.message)) {
        this.gpuFault ??= 'The GPU ran out of memory; lower the batch size or the prompt length';
        this.trainer?.stop();
      }
    });
  }

  /** Start a backend again after a fault (a fresh WebGPU device, or a fallback), reload the model, resume the run. */
  private async recover(backends?: Parameters<typeof selectBackend>[0]): Promise<void> {
    if (this.trainer) throw new Error('the run is still stopping; try again in a moment');
    if (!this.modelSpec) throw new Error('there is nothing to recover: no model was loaded');
    this.setState('loading');
    // The model's tensors lived on the lost device: drop them without touching it.
    this.loaded = undefined;
    if (tf.getBackend() === 'webgpu') {
      const factory = tf.findBackendFactory('webgpu');
      tf.removeBackend('webgpu');
      if (factory) tf.registerBackend('webgpu', factory, 3);
    }
    this.backend = undefined;
    await this.loadModel(this.modelSpec, backends);
    if (this.lastStart) await this.start({ ...this.lastStart, resume: true });
  }

  private async loadModel(spec: ModelSpec, backends?: Parameters<typeof selectBackend>[0]): Promise<void> {
    if (this.trainer) throw new Error('a run is in progress; stop it before loading another model');
    this.setState('loading');
    await this.selectBackend(backends);
    this.loadAbort = new AbortController();
    const loaded = await loadT5(await this.modelSource(spec), {
      signal: this.loadAbort.signal,
      onProgress: (p) => this.emit({ type: 'load-progress', file: p.file, loaded: p.loaded, total: p.total, fromCache: (p as { fromCache?: boolean }).fromCache }),
    });
    this.loaded?.model.dispose();
    this.loaded = loaded;
    this.modelId = spec.id;
    this.modelSpec = spec;
    this.current = undefined;
    this.emit({ type: 'model-loaded', modelId: spec.id, dModel: loaded.config.dModel, vocabSize: loaded.config.vocabSize, parameters: parameterCount(loaded.config), hasTokenizer: !!loaded.tokenizer });
    this.setState('ready');
  }

  private requireTokenizer(loaded: LoadedT5) {
    if (!loaded.tokenizer) throw new Error('this model folder has no tokenizer.json, so text cannot be encoded; add the tokenizer files');
    return loaded.tokenizer;
  }

  private async start(request: Request<'start'>): Promise<void> {
    const loaded = this.requireModel();
    const tokenizer = this.requireTokenizer(loaded);
    if (this.trainer) throw new Error('a run is already in progress');
    this.lastStart = request;
    this.lastCheckpointStep = undefined;
    const task = taskFromExamples(request.examples, request.task ?? {});
    const seed = request.config.seed ?? 0;
    const split = request.validation
      ? { train: request.examples, validation: request.validation }
      : stratifiedSplit(request.examples, (e) => e.label, request.validationFraction ?? 0.1, seed);
    const promptLength = request.config.promptLength ?? 100;
    const train = encodeExamples(tokenizer, task, split.train, promptLength, loaded.config.eosTokenId);
    const validation = encodeExamples(tokenizer, task, split.validation, promptLength, loaded.config.eosTokenId);
    const targets = encodeTargets(tokenizer, task);
    this.emit({ type: 'data', train: train.examples.length, validation: validation.examples.length, truncated: train.truncated + validation.truncated, labels: task.labels, targetTexts: task.targetTexts });

    const checkpoint = request.resume ? await this.store?.loadCheckpoint(request.runId) : undefined;
    if (request.resume && !checkpoint) throw new Error('this run has no saved checkpoint to resume from');
    const previous = request.resume ? await this.store?.loadRun(request.runId) : undefined;
    const trainer = new PromptTrainer(
      loaded.model,
      { train: train.examples, validation: validation.examples, targets, labelTokenIds: targets.map((t) => t.slice(0, -1)) },
      { dropoutRate: loaded.config.dropoutRate, ...request.config },
      {
        onProgress: (p) => {
          this.emit({ type: 'progress', ...p });
          const first = p.step - p.losses.length + 1;
          p.losses.forEach((loss, i) => this.run!.losses.push([first + i, loss]));
          if (p.memberLosses.length > 1) {
            const members = (this.run!.memberLosses ??= p.memberLosses.map(() => []));
            p.memberLosses.forEach((losses, k) => losses.forEach((loss, i) => members[k]!.push([first + i, loss])));
          }
        },
        onValidation: (v) => {
          this.emit({ type: 'validation', ...v });
          this.run!.validations.push({ step: v.step, accuracy: v.accuracy, loss: v.loss, members: v.members });
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
      },
    );
    const now = new Date().toISOString();
    const spec = this.modelSpec!;
    this.run = previous ?? {
      id: request.runId,
      createdAt: now,
      updatedAt: now,
      modelId: this.modelId,
      config: trainer.config,
      task,
      status: 'training',
      losses: [],
      validations: [],
      resume: {
        examples: request.examples,
        validation: request.validation,
        validationFraction: request.validationFraction,
        neighboursEvery: request.neighboursEvery,
        model: spec.kind === 'url' ? { kind: 'url', id: spec.id, base: spec.base, tokenizerBase: spec.tokenizerBase } : { kind: 'files', id: spec.id },
      },
    };
    this.run.status = 'training';
    if (checkpoint) {
      // Continue the curve from the checkpoint: drop what was reported after it was saved.
      this.run.losses = this.run.losses.filter(([step]) => step <= checkpoint.step);
      this.run.memberLosses = this.run.memberLosses?.map((l) => l.filter(([step]) => step <= checkpoint.step));
      this.run.validations = this.run.validations.filter((v) => v.step <= checkpoint.step);
    }
    this.trainer = trainer;
    this.lastCheckpointStep = checkpoint?.step;
    await this.saveRun();
    let interrupted = false;
    try {
      await trainer.initialise(checkpoint);
      if (request.neighboursEvery) await this.emitNeighbours(trainer.currentStep, trainer.promptVariables[0]!);
      this.setState('training');
      const result = await trainer.train().catch((e: Error) => {
        if (!this.gpuFault && !/device (was )?lost|out of memory/i.test(e.message)) throw e;
        this.gpuFault ??= `The GPU failed (${e.message})`;
        return undefined;
      });
      if (!result || this.gpuFault) {
        // The prompts on the device are gone; the run and its last checkpoint are safe in storage.
        interrupted = true;
        this.run.status = 'stopped';
        this.run.message = `${this.gpuFault}. Saved at step ${this.lastCheckpointStep ?? 0}.`;
        await this.saveRun();
        this.emit({ type: 'gpu-lost', message: this.run.message, runId: request.runId, checkpointStep: this.lastCheckpointStep });
        return;
      }
      this.current = { values: result.prompts, shape: result.promptShape, task, steps: result.step, init: trainer.config.init, validation: result.best };
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

  /** Persist the run record; a storage failure is reported, never fatal to training. */
  private async saveRun(): Promise<void> {
    if (!this.store || !this.run) return;
    try {
      await this.store.saveRun({ ...this.run, updatedAt: new Date().toISOString() });
    } catch (e) {
      this.emit({ type: 'error', message: (e as Error).message, during: 'checkpoint' });
    }
  }

  private async emitNeighbours(step: number, prompt: tf.Tensor2D): Promise<void> {
    const loaded = this.requireModel();
    const nn = await nearestNeighbours(prompt, loaded.model.weights.shared, 5);
    this.emit({ type: 'neighbours', step, tokens: withTokens(nn, (id) => loaded.tokenizer?.token(id)) });
  }

  private async openRun(runId: string): Promise<void> {
    const loaded = this.requireModel();
    const [run, checkpoint] = await Promise.all([this.store?.loadRun(runId), this.store?.loadCheckpoint(runId)]);
    if (!run || !checkpoint) throw new Error('this run has no saved prompt');
    if (checkpoint.promptShape[1] !== loaded.config.dModel) throw new Error(`this run's prompts are ${checkpoint.promptShape[1]} wide but the loaded model's d_model is ${loaded.config.dModel}; load ${run.modelId}`);
    this.current = {
      values: checkpoint.prompts.map((p, k) => checkpoint.best[k]?.prompt ?? p),
      shape: checkpoint.promptShape,
      task: run.task,
      steps: checkpoint.step,
      init: run.config.init,
      validation: checkpoint.best.map((b) => (b ? { accuracy: b.accuracy, loss: b.loss } : undefined)),
    };
    this.emit({ type: 'prompts-ready', count: checkpoint.prompts.length, labels: run.task.targetTexts, notes: [] });
  }

  /** Each group of files is one prompt (a prompt file, a PEFT pair or zip); several make an ensemble. */
  private importPrompts(groups: Array<Array<{ name: string; bytes: Uint8Array }>>): void {
    const loaded = this.requireModel();
    if (groups.length === 0) throw new Error('no prompt files given');
    const files = groups.map((g) => importPrompt(g));
    files.forEach((f) => checkPromptWidth(f, loaded.config.dModel));
    const first = files[0]!;
    if (files.some((f) => f.prompt.length !== first.prompt.length)) throw new Error('the prompts of an ensemble must have the same length');
    const labels = first.metadata.labels ?? [];
    if (labels.length < 2) throw new Error('this prompt file names no labels, so it cannot classify; it was not made by this app');
    if (files.some((f) => JSON.stringify(f.metadata.labels) !== JSON.stringify(labels))) throw new Error('the prompts of an ensemble must share their labels');
    this.current = {
      values: files.map((f) => f.prompt.values),
      shape: [first.prompt.length, first.prompt.width],
      task: taskFromExamples([], { labels, template: first.metadata.template || undefined }),
      steps: first.metadata.steps ?? 0,
      init: first.metadata.init ?? '',
      validation: files.map(() => undefined),
    };
    this.emit({ type: 'prompts-ready', count: files.length, labels, metadata: first.metadata as PromptMetadata, notes: files.flatMap((f) => f.notes) });
  }

  private requirePrompts(): CurrentPrompts {
    if (!this.current) throw new Error('no prompt yet: train one or import a prompt file');
    return this.current;
  }

  private promptTensors(current: CurrentPrompts): tf.Tensor2D[] {
    return current.values.map((v) => tf.tensor2d(v, current.shape));
  }

  private async evaluate(request: Request<'evaluate'>): Promise<void> {
    const loaded = this.requireModel();
    const tokenizer = this.requireTokenizer(loaded);
    const current = this.requirePrompts();
    const { task } = current;
    // Rows are matched to labels by their label value or by the label's target text.
    const byText = new Map(task.targetTexts.map((t, i) => [t, task.labels[i]!]));
    const rows = request.examples.map((e) => ({ ...e, label: byText.get(e.label) ?? e.label }));
    const encoded = encodeExamples(tokenizer, task, rows, current.shape[0], loaded.config.eosTokenId);
    if (encoded.unknownLabel) this.emit({ type: 'warning', message: `${encoded.unknownLabel} rows have a label the prompt does not know (${task.labels.join(', ')}); they were left out` });
    const prompts = this.promptTensors(current);
    try {
      const r = await evaluateEnsemble(loaded.model, prompts, encoded.examples, encodeTargets(tokenizer, task));
      this.emit({
        type: 'evaluation',
        requestId: request.requestId,
        n: r.n,
        labels: task.targetTexts,
        members: r.members,
        accuracy: prompts.length === 1 ? r.members[0]!.accuracy : r.ensemble.accuracy,
        meanAccuracy: r.meanAccuracy,
        bestAccuracy: r.bestAccuracy,
        confusion: r.ensemble.metrics.confusion,
      });
    } finally {
      tf.dispose(prompts);
    }
  }

  private async predict(request: Request<'predict'>): Promise<void> {
    const loaded = this.requireModel();
    const tokenizer = this.requireTokenizer(loaded);
    const current = this.requirePrompts();
    const { task } = current;
    const rows = request.texts.map((text) => ({ text, label: task.labels[0]! }));
    const encoded = encodeExamples(tokenizer, task, rows, current.shape[0], loaded.config.eosTokenId);
    const targets = encodeTargets(tokenizer, task);
    const prompts = this.promptTensors(current);
    const K = prompts.length;
    const L = targets.length;
    const results: Array<{ answer: number; votes: number[]; probabilities: number[] }> = [];
    try {
      for (let start = 0; start < encoded.examples.length; start += 32) {
        const chunk = encoded.examples.slice(start, start + 32);
        const scores = await scoreEnsemble(loaded.model, prompts, chunk.map((e) => e.inputIds), targets);
        const decision = ensembleVote(scores, K, chunk.length, L);
        chunk.forEach((_, i) => {
          const probabilities = new Array<number>(L).fill(0);
          for (let k = 0; k < K; k++) {
            const row = Array.from(scores.subarray((k * chunk.length + i) * L, (k * chunk.length + i + 1) * L));
            const max = Math.max(...row);
            const z = row.reduce((s, x) => s + Math.exp(x - max), 0);
            row.forEach((x, l) => (probabilities[l]! += Math.exp(x - max) / z / K));
          }
          results.push({ answer: decision.majority[i]!, votes: decision.votes[i]!, probabilities });
        });
      }
    } finally {
      tf.dispose(prompts);
    }
    this.emit({ type: 'predictions', requestId: request.requestId, labels: task.targetTexts, results });
  }

  private export(format: 'prompt' | 'peft', member?: number): void {
    const loaded = this.requireModel();
    const current = this.requirePrompts();
    // Default: the prompt with the best validation accuracy (the first when there was no validation).
    const chosen = member ?? current.validation.reduce((best, v, k) => (v && v.accuracy > (current.validation[best]?.accuracy ?? -1) ? k : best), 0);
    const values = current.values[chosen];
    if (!values) throw new Error(`there is no prompt ${chosen + 1}; this run has ${current.values.length}`);
    const v = current.validation[chosen];
    const metadata = {
      baseModel: this.modelId,
      dModel: loaded.config.dModel,
      labels: current.task.targetTexts,
      template: current.task.template,
      init: current.init,
      steps: current.steps,
      validation: v ? { accuracy: v.accuracy, loss: v.loss } : {},
      created: new Date().toISOString(),
    };
    const prompt = { length: current.shape[0], width: current.shape[1], values };
    const bytes = format === 'prompt' ? writePromptFile(prompt, metadata) : exportPeftZip(prompt, metadata);
    const stem = (this.modelId.split('/').pop() || 'prompt') + (current.values.length > 1 ? `-${chosen + 1}` : '');
    this.emit({ type: 'exported', format, fileName: format === 'prompt' ? `${stem}.prompt.safetensors` : `${stem}-peft-prompt.zip`, bytes });
  }

  dispose(): void {
    this.trainer?.stop();
    this.loaded?.model.dispose();
  }
}
