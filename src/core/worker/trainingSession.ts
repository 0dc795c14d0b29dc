/**
 * Everything the training worker does, independent of `self`: it takes WorkerRequests and emits
 * WorkerEvents through a callback, so Node tests drive it directly and the worker file is a thin
 * adapter. One model and at most one training run at a time.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend';
import { stratifiedSplit } from '../data/stratifiedSplit';
import { fileListSource, urlSource, type ModelSource } from '../io/modelSource';
import { nearestNeighbours, withTokens } from '../interpret/nearestNeighbours';
import { loadT5, type LoadedT5 } from '../model/loadT5';
import { parameterCount } from '../model/t5Weights';
import { exportPeftZip } from '../promptFile/peftAdapter';
import { writePromptFile } from '../promptFile/promptFile';
import type { RunRecord, RunStore } from '../storage/runRecord';
import { encodeExamples, encodeTargets, taskFromExamples } from '../task/taskFormat';
import type { TaskSpec } from '../task/task';
import { PromptTrainer, type TrainingResult } from '../tuning/trainer';
import type { ModelSpec, SessionState, WorkerEvent, WorkerRequest } from './protocol';

type StartRequest = Extract<WorkerRequest, { type: 'start' }>;

export class TrainingSession {
  private loaded: LoadedT5 | undefined;
  private modelId = '';
  private trainer: PromptTrainer | undefined;
  private run: RunRecord | undefined;
  private task: TaskSpec | undefined;
  private result: TrainingResult | undefined;

  constructor(
    private readonly emit: (event: WorkerEvent) => void,
    private readonly store?: RunStore,
  ) {}

  async handle(request: WorkerRequest): Promise<void> {
    try {
      switch (request.type) {
        case 'load-model':
          return await this.loadModel(request.model, request.backends);
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
        case 'export':
          return await this.export(request.format);
      }
    } catch (e) {
      this.emit({ type: 'error', message: (e as Error).message ?? String(e), during: request.type });
    }
  }

  private setState(state: SessionState): void {
    this.emit({ type: 'state', state });
  }

  private async loadModel(spec: ModelSpec, backends?: Parameters<typeof selectBackend>[0]): Promise<void> {
    if (this.trainer) throw new Error('a run is in progress; stop it before loading another model');
    this.setState('loading');
    const choice = await selectBackend(backends);
    this.emit({ type: 'backend', name: choice.name, reason: choice.reason });
    const source: ModelSource = spec.kind === 'url' ? urlSource(spec.base) : fileListSource(spec.files, spec.id);
    const loaded = await loadT5(source, { onProgress: (p) => this.emit({ type: 'load-progress', file: p.file, loaded: p.loaded, total: p.total }) });
    this.loaded?.model.dispose();
    this.loaded = loaded;
    this.modelId = spec.id;
    this.emit({ type: 'model-loaded', modelId: spec.id, dModel: loaded.config.dModel, vocabSize: loaded.config.vocabSize, parameters: parameterCount(loaded.config), hasTokenizer: !!loaded.tokenizer });
    this.setState('ready');
  }

  private async start(request: StartRequest): Promise<void> {
    const loaded = this.loaded;
    if (!loaded) throw new Error('load a model first');
    if (!loaded.tokenizer) throw new Error('this model folder has no tokenizer.json, so text cannot be encoded; add the tokenizer files');
    if (this.trainer) throw new Error('a run is already in progress');
    const tokenizer = loaded.tokenizer;
    const task = taskFromExamples(request.examples, request.task ?? {});
    this.task = task;
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
    const now = new Date().toISOString();
    const previous = request.resume ? await this.store?.loadRun(request.runId) : undefined;
    const trainer = new PromptTrainer(
      loaded.model,
      { train: train.examples, validation: validation.examples, targets, labelTokenIds: targets.map((t) => t.slice(0, -1)) },
      { dropoutRate: loaded.config.dropoutRate, ...request.config },
      {
        onProgress: (p) => {
          this.emit({ type: 'progress', ...p });
          p.losses.forEach((loss, i) => this.run!.losses.push([p.step - p.losses.length + 1 + i, loss]));
        },
        onValidation: (v) => {
          this.emit({ type: 'validation', ...v });
          this.run!.validations.push({ step: v.step, accuracy: v.accuracy, loss: v.loss });
        },
        onCheckpoint: async (c) => {
          if (!this.store) return;
          try {
            await this.store.saveCheckpoint(request.runId, c);
            await this.store.saveRun({ ...this.run!, updatedAt: new Date().toISOString() });
            this.emit({ type: 'checkpoint', step: c.step });
          } catch (e) {
            this.emit({ type: 'error', message: (e as Error).message, during: 'checkpoint' });
          }
        },
        onPrompt: async (step, prompt) => {
          const every = request.neighboursEvery ?? 0;
          if (every > 0 && step % every === 0) await this.emitNeighbours(step, prompt);
        },
      },
    );
    this.run = previous ?? { id: request.runId, createdAt: now, updatedAt: now, modelId: this.modelId, config: trainer.config, task, status: 'training', losses: [], validations: [] };
    this.run.status = 'training';
    this.trainer = trainer;
    try {
      await trainer.initialise(checkpoint);
      if (request.neighboursEvery) await this.emitNeighbours(trainer.currentStep, trainer.promptVariable);
      this.setState('training');
      const result = await trainer.train();
      this.result = result;
      this.run.status = result.reason === 'non-finite-loss' ? 'failed' : result.reason === 'stopped' ? 'stopped' : 'completed';
      this.run.message = result.message;
      if (this.store) {
        await this.store.saveCheckpoint(request.runId, await trainer.checkpoint());
        await this.store.saveRun({ ...this.run, updatedAt: new Date().toISOString() });
      }
      const { prompt: _prompt, ...summary } = result;
      this.emit({ type: 'done', result: summary });
    } finally {
      trainer.dispose();
      this.trainer = undefined;
      this.setState('finished');
    }
  }

  private async emitNeighbours(step: number, prompt: tf.Tensor2D): Promise<void> {
    const loaded = this.loaded!;
    const nn = await nearestNeighbours(prompt, loaded.model.weights.shared, 5);
    const tokens = withTokens(nn, (id) => loaded.tokenizer?.token(id));
    this.emit({ type: 'neighbours', step, tokens });
  }

  private async export(format: 'prompt' | 'peft'): Promise<void> {
    const result = this.result;
    if (!result || !this.loaded || !this.task) throw new Error('nothing to export yet: train a prompt first');
    const metadata = {
      format: 'pt' as const,
      baseModel: this.modelId,
      dModel: this.loaded.config.dModel,
      labels: this.task.targetTexts,
      template: this.task.template,
      init: this.run?.config.init ?? '',
      steps: result.step,
      validation: result.best ? { accuracy: result.best.accuracy, loss: result.best.loss } : {},
      created: new Date().toISOString(),
    };
    const prompt = { length: result.promptShape[0], width: result.promptShape[1], values: result.prompt };
    const bytes = format === 'prompt' ? writePromptFile(prompt, metadata) : exportPeftZip(prompt, metadata);
    const stem = this.modelId.split('/').pop() || 'prompt';
    this.emit({ type: 'exported', format, fileName: format === 'prompt' ? `${stem}.prompt.safetensors` : `${stem}-peft-prompt.zip`, bytes });
  }

  dispose(): void {
    this.trainer?.stop();
    this.loaded?.model.dispose();
  }
}

