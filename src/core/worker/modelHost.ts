/**
 * The worker's model and where it runs: the compute backend (chosen once, since TF.js backends are
 * global to the worker), loading a model from URLs or dropped files with progress and cancel, and
 * watching the WebGPU device so a lost device or an out-of-memory error becomes a message.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, startBackend, usableBackends, type BackendChoice, type BackendName, type BackendOptions, type UsableBackend } from '../backend';
import { choiceKey, fastest, planBackend, type BackendPreferences, type MeasuredChoice, type RunShape } from '../backendChoice';
import { cachedSource, openModelCache } from '../io/cachedSource';
import { fileListSource, urlSource, type ModelSource } from '../io/modelSource';
import { budgetFor, type DeviceBudget } from '../model/deviceBudget';
import { loadT5, type LoadedT5 } from '../model/loadT5';
import { parameterCount } from '../model/t5Weights';
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import type { TrainerConfig, TrainingData } from '../tuning/trainer';
import { wasmDescription } from '../wasmBackend';
import { timeBackends } from './backendTrial';
import type { ModelSpec, WorkerEvent } from './protocol';

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

export class ModelHost {
  private loaded: LoadedT5 | undefined;
  /** The loaded model's id and where it came from (to reload it after a GPU fault). */
  modelId = '';
  spec: ModelSpec | undefined;
  private backend: Promise<BackendChoice> | undefined;
  private loadAbort: AbortController | undefined;
  /** Why the GPU is gone (device lost, out of memory), once it is. */
  gpuFault: string | undefined;
  /** The backends a run may be measured on (automatic selection only; empty after an explicit list). */
  private usable: UsableBackend[] = [];
  /** The backend the loaded model's tensors live on. */
  private modelBackend: string | undefined;
  private readonly watched = new WeakSet<GPUDevice>();

  constructor(
    private readonly emit: (event: WorkerEvent) => void,
    private readonly backendOptions: BackendOptions = {},
    /** Called when the GPU fails, so a run stops at its next step. */
    private readonly onGpuFault: () => void = () => {},
  ) {}

  get model(): LoadedT5 | undefined {
    return this.loaded;
  }

  requireModel(): LoadedT5 {
    if (!this.loaded) throw new Error('load a model first');
    return this.loaded;
  }

  requireTokenizer(): T5Tokenizer {
    const loaded = this.requireModel();
    if (!loaded.tokenizer) throw new Error('this model folder has no tokenizer.json, so text cannot be encoded; add the tokenizer files');
    return loaded.tokenizer;
  }

  selectBackend(backends?: BackendName[]): Promise<BackendChoice> {
    if (!this.backend) {
      this.backend = selectBackend(backends, this.backendOptions).then(async (choice) => {
        // Measuring is for the automatic choice; a given list (tests, "resume on the CPU") is obeyed as is.
        this.usable = backends ? [] : await (this.backendOptions.usable ?? usableBackends)().catch(() => []);
        return choice;
      });
      this.backend.then(
        (choice) => {
          this.gpuFault = undefined;
          this.watchDevice();
          this.emit({ type: 'backend', name: choice.name, reason: choice.reason, detail: choice.detail, usable: this.usable.map((u) => u.name) });
        },
        () => (this.backend = undefined),
      );
    }
    return this.backend;
  }

  /** Fault injection for tests: destroy the device as a driver reset would. */
  destroyDevice(): void {
    this.webgpuDevice()?.destroy();
  }

  cancelLoad(): void {
    this.loadAbort?.abort();
  }

  async load(spec: ModelSpec, backends?: BackendName[]): Promise<void> {
    await this.selectBackend(backends);
    this.loadAbort = new AbortController();
    const loaded = await loadT5(await this.source(spec), {
      signal: this.loadAbort.signal,
      onProgress: (p) => this.emit({ type: 'load-progress', file: p.file, loaded: p.loaded, total: p.total, fromCache: (p as { fromCache?: boolean }).fromCache }),
    });
    this.loaded?.model.dispose();
    this.loaded = loaded;
    this.modelBackend = tf.getBackend();
    this.modelId = spec.id;
    this.spec = spec;
    this.emit({ type: 'model-loaded', modelId: spec.id, dModel: loaded.config.dModel, vocabSize: loaded.config.vocabSize, parameters: parameterCount(loaded.config), hasTokenizer: !!loaded.tokenizer, config: loaded.config });
  }

  /**
   * Before a run: put TF.js on the backend the person chose, the one remembered for this device and
   * shape, or the fastest of a trial on each usable backend (backendTrial.ts), reloading the model
   * there when it lives elsewhere. Without preferences (CLI, tests) or with one usable backend,
   * nothing changes. Returns whether the backend changed.
   */
  async chooseForRun(prefs: BackendPreferences | undefined, data: TrainingData, trainerConfig: Partial<TrainerConfig>, run: RunShape): Promise<boolean> {
    if (!prefs) return false;
    const loaded = this.requireModel();
    const key = choiceKey(this.usable, loaded.config, run);
    const plan = planBackend(this.usable, prefs, key);
    if (plan.kind === 'keep') {
      if (plan.note) this.emit({ type: 'warning', message: `${plan.note}; training on ${tf.getBackend()}.` });
      return false;
    }
    if (plan.kind === 'use') return this.switchTo(plan.backend, { because: plan.because, timings: plan.record?.timings, measuredAt: plan.record?.measuredAt });
    this.emit({ type: 'backend-trial', backends: plan.backends });
    const timings = await timeBackends(plan.backends, loaded.config, data, trainerConfig, this.backendOptions);
    const chosen = fastest(timings) ?? (this.modelBackend as BackendName);
    const measuredAt = new Date().toISOString();
    if (fastest(timings)) this.emit({ type: 'backend-measured', record: { key, chosen, timings, measuredAt } });
    return this.switchTo(chosen, { because: 'measured', timings, measuredAt });
  }

  /** Make `name` the backend, reloading the model onto it when its tensors live on another. */
  private async switchTo(name: BackendName, measured: MeasuredChoice): Promise<boolean> {
    const before = this.modelBackend;
    if (!(await startBackend(name, this.backendOptions))) throw new Error(`the ${name} backend did not start`);
    if (name !== before && this.spec) {
      // Load there first: if that fails (a download that is no longer cached), train where the model is.
      try {
        this.loadAbort = new AbortController();
        const moved = await loadT5(await this.source(this.spec), { signal: this.loadAbort.signal });
        this.loaded?.model.dispose();
        this.loaded = moved;
        this.modelBackend = tf.getBackend();
      } catch (e) {
        await startBackend(before as BackendName, this.backendOptions);
        this.emit({ type: 'warning', message: `Could not move the model to ${name} (${(e as Error).message}); training on ${before}.` });
        return false;
      }
    }
    const detail = name === 'wasm' ? await wasmDescription() : this.usable.find((u) => u.name === name)?.device;
    const choice: BackendChoice = { name: tf.getBackend(), detail };
    this.backend = Promise.resolve(choice);
    this.gpuFault = undefined;
    this.watchDevice();
    this.emit({ type: 'backend', name: choice.name, detail, usable: this.usable.map((u) => u.name), measured });
    return name !== before;
  }

  /** After a fault: forget the model (its tensors lived on the lost device) and start the backend again. */
  resetBackend(): void {
    this.loaded = undefined;
    if (tf.getBackend() === 'webgpu') {
      const factory = tf.findBackendFactory('webgpu');
      tf.removeBackend('webgpu');
      if (factory) tf.registerBackend('webgpu', factory, 3);
    }
    this.backend = undefined;
  }

  /** Whether an error thrown mid-run is the GPU failing (then the run is interrupted, not failed). */
  isGpuFailure(e: Error): boolean {
    if (!this.gpuFault && !/device (was )?lost|out of memory/i.test(e.message)) return false;
    this.gpuFault ??= `The GPU failed (${e.message})`;
    return true;
  }

  dispose(): void {
    this.loaded?.model.dispose();
  }

  private async source(spec: ModelSpec): Promise<ModelSource> {
    if (spec.kind === 'files') return fileListSource(spec.files, spec.id);
    const cache = spec.cache === false ? undefined : await openModelCache();
    const remote = (base: string) => {
      const source = urlSource(base);
      return cache ? cachedSource(source, cache, base, { onCacheError: (e) => this.emit({ type: 'warning', message: e.message }) }) : source;
    };
    const model = remote(spec.base);
    return spec.tokenizerBase && spec.tokenizerBase !== spec.base ? withTokenizerFallback(model, remote(spec.tokenizerBase)) : model;
  }

  /** What the backend holds, for the memory check at Start: WebAssembly's heap, the GPU device's buffer limits. */
  memoryBudget(): DeviceBudget | undefined {
    return budgetFor(tf.getBackend(), this.webgpuDevice()?.limits);
  }

  private webgpuDevice(): GPUDevice | undefined {
    return tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as { device?: GPUDevice }).device : undefined;
  }

  /** A lost device or a GPU out-of-memory stops the run at the next step; its checkpoint stays. */
  private watchDevice(): void {
    const device = this.webgpuDevice();
    if (!device || this.watched.has(device)) return;
    this.watched.add(device);
    void device.lost.then((info) => {
      this.gpuFault ??= `The GPU was lost (${info.message || info.reason})`;
      this.onGpuFault();
    });
    device.addEventListener('uncapturederror', (e) => {
      const error = (e as GPUUncapturedErrorEvent).error;
      if (error.constructor.name === 'GPUOutOfMemoryError' || /out of memory/i.test(error.message)) {
        this.gpuFault ??= 'The GPU ran out of memory; lower the batch size or the prompt length';
        this.onGpuFault();
      }
    });
  }
}
