/**
 * The prompts that evaluate, predict and export use: the last run's, a saved run's, or imported
 * files (several make an ensemble). Everything here reads the model through the ModelHost.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluateEnsemble } from '../eval/evaluateEnsemble';
import { predictEnsemble } from '../eval/predictEnsemble';
import { exportPeftZip, importPrompt } from '../promptFile/peftAdapter';
import { writePromptFile } from '../promptFile/promptFile';
import { trainedPromptMetadata } from '../promptFile/promptMetadata';
import { checkPromptWidth, type PromptMetadata } from '../promptFile/softPrompt';
import type { RunStore } from '../storage/runRecord';
import { rowsInTaskLabels, taskFromRecordedLabels } from '../task/labelMatching';
import { evaluateText } from '../eval/evaluateText';
import { predictText } from '../eval/predictText';
import { promptDesignBaseline } from '../eval/promptDesignBaseline';
import type { LabeledExample, TaskSpec } from '../task/task';
import { encodeExamples, encodeTargets, taskFromExamples } from '../task/taskFormat';
import { encodeTextExamples } from '../task/textExamples';
import type { ModelHost } from './modelHost';
import type { NamedBytes, WorkerEvent } from './protocol';

export interface PromptSet {
  values: Float32Array[];
  shape: [number, number];
  task: TaskSpec;
  steps: number;
  init: string;
  /** Each prompt's best validation, for choosing what to export. */
  validation: Array<{ accuracy: number; loss: number } | undefined>;
  /** Each prompt's initialisation seed, when known: recorded in exports so the start can be rebuilt (drift). */
  initSeeds?: Array<number | undefined>;
}

export class CurrentPrompts {
  private current: PromptSet | undefined;

  constructor(
    private readonly host: ModelHost,
    private readonly emit: (event: WorkerEvent) => void,
  ) {}

  set(prompts: PromptSet | undefined): void {
    this.current = prompts;
  }

  /** The current prompts, for interpretation (undefined until a run finishes or files are imported). */
  get value(): PromptSet | undefined {
    return this.current;
  }

  /** A saved run's prompts: each member's best on validation, else its last checkpoint. */
  async open(store: RunStore | undefined, runId: string): Promise<void> {
    const loaded = this.host.requireModel();
    const [run, checkpoint] = await Promise.all([store?.loadRun(runId), store?.loadCheckpoint(runId)]);
    if (!run || !checkpoint) throw new Error('this run has no saved prompt');
    if (checkpoint.promptShape[1] !== loaded.config.dModel) throw new Error(`this run's prompts are ${checkpoint.promptShape[1]} wide but the loaded model's d_model is ${loaded.config.dModel}; load ${run.modelId}`);
    this.current = {
      values: checkpoint.prompts.map((p, k) => checkpoint.best[k]?.prompt ?? p),
      shape: checkpoint.promptShape,
      task: run.task,
      steps: checkpoint.step,
      init: run.config.init,
      validation: checkpoint.best.map((b) => (b ? { accuracy: b.accuracy, loss: b.loss } : undefined)),
      initSeeds: checkpoint.prompts.map((_, k) => run.config.seed + k),
    };
    this.emit({ type: 'prompts-ready', count: checkpoint.prompts.length, labels: run.task.targetTexts, notes: [], template: run.task.template, ...(run.task.kind ? { kind: run.task.kind } : {}) });
  }

  /** Each group of files is one prompt (a prompt file, a PEFT pair or zip); several make an ensemble. */
  import(groups: NamedBytes[][]): void {
    const loaded = this.host.requireModel();
    if (groups.length === 0) throw new Error('no prompt files given');
    const files = groups.map((g) => importPrompt(g));
    files.forEach((f) => checkPromptWidth(f, loaded.config.dModel));
    const first = files[0]!;
    if (files.some((f) => f.prompt.length !== first.prompt.length)) throw new Error('the prompts of an ensemble must have the same length');
    const labels = first.metadata.labels ?? [];
    const text = first.metadata.task === 'text';
    if (files.some((f) => (f.metadata.task === 'text') !== text)) throw new Error('the prompts of an ensemble must all be classification prompts or all text-to-text prompts');
    if (!text && labels.length < 2) throw new Error('this prompt file names no labels, so it cannot classify; it was not made by this app');
    if (files.some((f) => JSON.stringify(f.metadata.labels ?? []) !== JSON.stringify(labels))) throw new Error('the prompts of an ensemble must share their labels');
    this.current = {
      values: files.map((f) => f.prompt.values),
      shape: [first.prompt.length, first.prompt.width],
      // With a label_map the data's own labels ("1"), so a file labelled like the training data evaluates as it is.
      task: text ? taskFromExamples([], { labels: [], template: first.metadata.template || undefined, kind: 'text' }) : taskFromRecordedLabels(first.metadata),
      steps: first.metadata.steps ?? 0,
      init: first.metadata.init ?? '',
      validation: files.map(() => undefined),
      initSeeds: files.map((f) => f.metadata.initSeed),
    };
    this.emit({ type: 'prompts-ready', count: files.length, labels, metadata: first.metadata as PromptMetadata, notes: files.flatMap((f) => f.notes), template: this.current.task.template, ...(text ? { kind: 'text' as const } : {}) });
  }

  async evaluate(requestId: number, examples: LabeledExample[], baselineTemplate?: string): Promise<void> {
    const loaded = this.host.requireModel();
    const tokenizer = this.host.requireTokenizer();
    const current = this.require();
    const { task } = current;
    // The prompt's own result first (the page awaits it), then the baseline on the same rows.
    if (task.kind === 'text') await this.evaluateText(requestId, examples);
    else await this.evaluateClassify(requestId, examples);
    if (baselineTemplate !== undefined) {
      const rows = task.kind === 'text' ? examples : rowsInTaskLabels(task, examples);
      this.emit({ type: 'baseline', split: 'test', requestId, ...(await promptDesignBaseline(loaded.model, tokenizer, { ...task, template: baselineTemplate }, rows)) });
    }
  }

  private async evaluateClassify(requestId: number, examples: LabeledExample[]): Promise<void> {
    const loaded = this.host.requireModel();
    const tokenizer = this.host.requireTokenizer();
    const current = this.require();
    const { task } = current;
    // Rows are matched to labels by their label value or by the label's target text.
    const rows = rowsInTaskLabels(task, examples);
    const encoded = encodeExamples(tokenizer, task, rows, current.shape[0], loaded.config.eosTokenId);
    if (encoded.unknownLabel) {
      const known = task.labels.map((l, i) => (l === task.targetTexts[i] ? l : `${l} (${task.targetTexts[i]})`)).join(', ');
      this.emit({ type: 'warning', message: `${encoded.unknownLabel} ${encoded.unknownLabel === 1 ? 'row has' : 'rows have'} a label the prompt does not know (it knows ${known}); ${encoded.unknownLabel === 1 ? 'it was' : 'they were'} left out` });
    }
    const prompts = this.tensors(current);
    try {
      const r = await evaluateEnsemble(loaded.model, prompts, encoded.examples, encodeTargets(tokenizer, task));
      this.emit({
        type: 'evaluation',
        requestId,
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

  /** A text-to-text prompt: generated answers scored by exact match and F1, with examples. */
  private async evaluateText(requestId: number, examples: LabeledExample[]): Promise<void> {
    const loaded = this.host.requireModel();
    const tokenizer = this.host.requireTokenizer();
    const current = this.require();
    const encoded = encodeTextExamples(tokenizer, current.task, examples, current.shape[0], loaded.config.eosTokenId);
    const prompts = this.tensors(current);
    try {
      const { answers: _, ...r } = await evaluateText(loaded.model, (ids) => tokenizer.decode(ids), prompts, encoded.examples, { examplesShown: 20 });
      this.emit({ type: 'text-evaluation', requestId, ...r });
    } finally {
      tf.dispose(prompts);
    }
  }

  /** `fields[i]`: the other columns text i's template names, when it names any. */
  async predict(requestId: number, texts: string[], fields?: Array<Record<string, string>>): Promise<void> {
    const loaded = this.host.requireModel();
    const tokenizer = this.host.requireTokenizer();
    const current = this.require();
    const { task } = current;
    const rows = texts.map((text, i) => ({ text, label: task.labels[0] ?? '', ...(fields?.[i] ? { fields: fields[i] } : {}) }));
    if (task.kind === 'text') return this.generate(requestId, rows);
    const encoded = encodeExamples(tokenizer, task, rows, current.shape[0], loaded.config.eosTokenId);
    const prompts = this.tensors(current);
    try {
      const results = await predictEnsemble(loaded.model, prompts, encoded.examples.map((e) => e.inputIds), encodeTargets(tokenizer, task));
      this.emit({ type: 'predictions', requestId, labels: task.targetTexts, results });
    } finally {
      tf.dispose(prompts);
    }
  }

  /** A text-to-text prompt's answers to typed texts, generated under every prompt in one pass. */
  private async generate(requestId: number, rows: LabeledExample[]): Promise<void> {
    const loaded = this.host.requireModel();
    const tokenizer = this.host.requireTokenizer();
    const current = this.require();
    const encoded = encodeTextExamples(tokenizer, current.task, rows, current.shape[0], loaded.config.eosTokenId);
    const prompts = this.tensors(current);
    try {
      const results = await predictText(loaded.model, (ids) => tokenizer.decode(ids), prompts, encoded.examples.map((e) => e.inputIds));
      this.emit({ type: 'generated', requestId, results });
    } finally {
      tf.dispose(prompts);
    }
  }

  /** Prompt `member`, by default the one with the best validation accuracy (the first without validation). */
  export(format: 'prompt' | 'peft', member?: number, requestId?: number): void {
    const loaded = this.host.requireModel();
    const current = this.require();
    const chosen = member ?? current.validation.reduce((best, v, k) => (v && v.accuracy > (current.validation[best]?.accuracy ?? -1) ? k : best), 0);
    const values = current.values[chosen];
    if (!values) throw new Error(`there is no prompt ${chosen + 1}; this run has ${current.values.length}`);
    const metadata = trainedPromptMetadata({ baseModel: this.host.modelId, dModel: loaded.config.dModel, task: current.task, init: current.init, initSeed: current.initSeeds?.[chosen], steps: current.steps, validation: current.validation[chosen] });
    const prompt = { length: current.shape[0], width: current.shape[1], values };
    const bytes = format === 'prompt' ? writePromptFile(prompt, metadata) : exportPeftZip(prompt, metadata);
    const stem = (this.host.modelId.split('/').pop() || 'prompt') + (current.values.length > 1 ? `-${chosen + 1}` : '');
    this.emit({ type: 'exported', format, fileName: format === 'prompt' ? `${stem}.prompt.safetensors` : `${stem}-peft-prompt.zip`, bytes, ...(requestId === undefined ? {} : { requestId }) });
  }

  private require(): PromptSet {
    if (!this.current) throw new Error('no prompt yet: train one or import a prompt file');
    return this.current;
  }

  private tensors(current: PromptSet): tf.Tensor2D[] {
    return current.values.map((v) => tf.tensor2d(v, current.shape));
  }
}
