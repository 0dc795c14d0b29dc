/**
 * The worker's interpretation requests: the vocabulary map, a current prompt's interpretation, what
 * the model reads of one example, and the similarity of saved and imported prompts; plus the
 * snapshot of prompt 1 that training streams every few steps. The PCA basis and the vocabulary
 * norms are computed once per model (vocabularyAtlas caches them per embedding table).
 */
import * as tf from '@tensorflow/tfjs';
import { driftPoint } from '../interpret/drift';
import { promptNorms } from '../interpret/embeddingNorms';
import { readExample } from '../interpret/exampleReading';
import { rebuildInitialPrompt, whyNoInitialPrompt, type InitialPromptSource } from '../interpret/initialPrompt';
import { interpretPrompt, vocabularyMap } from '../interpret/interpretPrompt';
import { nearestNeighbours, withTokens } from '../interpret/nearestNeighbours';
import { projectRows } from '../interpret/pca';
import { promptSimilarity, type NamedPrompt } from '../interpret/promptSimilarity';
import { vocabularyAtlas } from '../interpret/vocabularyAtlas';
import { importPrompt } from '../promptFile/peftAdapter';
import type { RunStore } from '../storage/runRecord';
import type { CurrentPrompts, PromptSet } from './currentPrompts';
import type { ModelHost } from './modelHost';
import type { WorkerEvent, WorkerRequest } from './protocol';

type Request<T extends WorkerRequest['type']> = Extract<WorkerRequest, { type: T }>;
type NeighboursEvent = Extract<WorkerEvent, { type: 'neighbours' }>;

export class PromptInterpreter {
  /** The running training's prompt 1: how to rebuild its start, and the start once rebuilt. */
  private run: { source: InitialPromptSource; length: number; initial?: Promise<Float32Array | undefined> } | undefined;

  constructor(
    private readonly host: ModelHost,
    private readonly prompts: CurrentPrompts,
    private readonly emit: (event: WorkerEvent) => void,
    private readonly store?: RunStore,
  ) {}

  /** A run starts (or resumes): prompt 1's initialisation, so snapshots can show drift from it. */
  beginRun(source: InitialPromptSource, length: number): void {
    this.run = { source, length };
  }

  /** Prompt 1 at `step`: neighbours, norms, its place on the map and its cosine to its start. */
  async snapshot(step: number, prompt: tf.Tensor2D): Promise<NeighboursEvent> {
    const loaded = this.host.requireModel();
    const embeddings = loaded.model.weights.shared;
    const atlas = await vocabularyAtlas(embeddings);
    const nn = await nearestNeighbours(prompt, embeddings, 5);
    const values = (await prompt.data()) as Float32Array;
    const width = prompt.shape[1];
    const run = this.run;
    if (run && !run.initial) run.initial = rebuildInitialPrompt(run.source, run.length, embeddings, loaded.tokenizer);
    const initial = await run?.initial;
    return {
      type: 'neighbours',
      step,
      tokens: withTokens(nn, (id) => loaded.tokenizer?.token(id)),
      norms: promptNorms(values, width, atlas.norms),
      projection: projectRows(values, atlas.basis),
      ...(initial && initial.length === values.length ? { initialCosine: driftPoint(initial, values, width, step).cosine } : {}),
    };
  }

  async vocabularyMap(request: Request<'vocabulary-map'>): Promise<void> {
    const loaded = this.host.requireModel();
    const map = await vocabularyMap(loaded, { sample: request.sample, labels: request.labels });
    this.emit({ type: 'vocabulary-map', requestId: request.requestId, ...map, tokens: this.tokensOf(map.vocabulary) });
  }

  async interpret(request: Request<'interpret'>): Promise<void> {
    const loaded = this.host.requireModel();
    const { set, member, values } = this.member(request.member);
    const source = this.sourceOf(set, member);
    const initial = await rebuildInitialPrompt(source, set.shape[0], loaded.model.weights.shared, loaded.tokenizer);
    const prompt = { length: set.shape[0], width: set.shape[1], values };
    const result = await interpretPrompt(loaded, prompt, { k: request.k, sample: request.sample, labels: set.task.targetTexts, initial });
    const driftUnavailable = initial ? undefined : whyNoInitialPrompt(source, loaded.tokenizer);
    this.emit({ type: 'interpretation', requestId: request.requestId, member, steps: set.steps, ...result, tokens: this.tokensOf(result.projection.vocabulary), ...(driftUnavailable ? { driftUnavailable } : {}) });
  }

  async readExample(request: Request<'read-example'>): Promise<void> {
    const loaded = this.host.requireModel();
    const tokenizer = this.host.requireTokenizer();
    const { set, member, values } = this.member(request.member);
    const prompt = tf.tensor2d(values, set.shape);
    try {
      const reading = await readExample(loaded, tokenizer, prompt, set.task, request.text);
      this.emit({ type: 'example-reading', requestId: request.requestId, member, ...reading });
    } finally {
      prompt.dispose();
    }
  }

  /** Saved runs (each member's best prompt, else its last) and files, compared; other widths are skipped with a reason. */
  async compare(request: Request<'compare-prompts'>): Promise<void> {
    const named: NamedPrompt[] = [];
    const skipped: string[] = [];
    if (this.store) {
      const runs = request.runIds === 'all' ? await this.store.listRuns() : (await Promise.all(request.runIds.map((id) => this.store!.loadRun(id)))).filter((r) => r !== undefined);
      for (const run of runs) {
        const checkpoint = await this.store.loadCheckpoint(run.id);
        if (!checkpoint) {
          skipped.push(`run ${run.createdAt.slice(0, 16).replace('T', ' ')}: no saved prompt yet`);
          continue;
        }
        const name = `${run.task.targetTexts.join(' / ')} · ${run.createdAt.slice(0, 16).replace('T', ' ')}`;
        checkpoint.prompts.forEach((p, k) => {
          const values = checkpoint.best[k]?.prompt ?? p;
          named.push({ name: checkpoint.prompts.length > 1 ? `${name} #${k + 1}` : name, length: checkpoint.promptShape[0], width: checkpoint.promptShape[1], values });
        });
      }
    }
    for (const group of request.files ?? []) {
      const file = importPrompt(group);
      named.push({ name: group[0]?.name ?? 'prompt file', length: file.prompt.length, width: file.prompt.width, values: file.prompt.values });
    }
    const width = this.host.model?.config.dModel ?? named[0]?.width;
    const kept = named.filter((p) => {
      if (p.width === width) return true;
      skipped.push(`${p.name}: ${p.width} wide, not ${width} (another model)`);
      return false;
    });
    this.emit({ type: 'prompt-similarity', requestId: request.requestId, ...promptSimilarity(kept), skipped });
  }

  private member(index = 0): { set: PromptSet; member: number; values: Float32Array } {
    const set = this.prompts.value;
    if (!set) throw new Error('no prompt yet: train one or import a prompt file');
    const values = set.values[index];
    if (!values) throw new Error(`there is no prompt ${index + 1}; there are ${set.values.length}`);
    return { set, member: index, values };
  }

  private sourceOf(set: PromptSet, member: number): InitialPromptSource {
    return { init: set.init, initSeed: set.initSeeds?.[member], labels: set.task.targetTexts };
  }

  private tokensOf(points: Array<[number, number, number]>): string[] {
    const tokenizer = this.host.model?.tokenizer;
    return points.map(([id]) => tokenizer?.token(id) ?? `[${id}]`);
  }
}
