/** The worker's logic, driven in Node through its message protocol: load, train, watch, checkpoint, export, resume. */
import { describe, expect, it } from 'vitest';
import { readPromptFile } from '../../../src/core/promptFile/promptFile';
import { IndexedDbRunStore } from '../../../src/core/storage/indexedDbRunStore';
import type { WorkerRequest } from '../../../src/core/worker/protocol';
import { wordModelFiles } from '../../helpers/wordModel';
import { workerSession } from '../../helpers/workerSession';

/** Two classes the tiny model can tell apart by their first word. */
const examples = Array.from({ length: 24 }, (_, i) => ({ text: `w${10 + (i % 2)} w${20 + i} w${40 + i}`, label: i % 2 ? 'w101' : 'w202' }));

const start = (runId: string, steps: number, resume = false): WorkerRequest => ({
  type: 'start',
  runId,
  examples,
  validationFraction: 0.25,
  config: { promptLength: 4, init: 'labels', batchSize: 4, steps, reportEvery: 1, evalEvery: 2, checkpointEvery: 2, dropoutRate: 0, seed: 1 },
  neighboursEvery: 2,
  resume,
});

describe('TrainingSession', () => {
  it('loads a model, trains with progress, validation, neighbours and checkpoints, and exports the prompt', async () => {
    const { s, of, events } = workerSession();
    await s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-gated', files: wordModelFiles('t5-tiny-gated') } });
    expect(of('error')).toEqual([]);
    // The automatic choice in Node (no GPU, no canvas): WebAssembly.
    expect(of('backend')[0]!.name).toBe('wasm');
    expect(of('model-loaded')[0]).toMatchObject({ modelId: 'tiny-gated', dModel: 64, vocabSize: 512, hasTokenizer: true });

    await s.handle(start('run-1', 4));
    expect(of('error')).toEqual([]);
    expect(of('data')[0]).toMatchObject({ train: 18, validation: 6, labels: ['w202', 'w101'] });
    expect(of('progress').map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(of('progress').every((p) => p.losses.length === 1 && Number.isFinite(p.losses[0]))).toBe(true);
    expect(of('validation').map((v) => v.step)).toEqual([2, 4]);
    expect(of('checkpoint').map((c) => c.step)).toEqual([2, 4]);
    const neighbours = of('neighbours');
    expect(neighbours.map((n) => n.step)).toEqual([0, 2, 4]);
    expect(neighbours[0]!.tokens).toHaveLength(4);
    // label init: slot 0 is the embedding of "w202" itself, so its nearest token is w202 (cosine 1)
    expect(neighbours[0]!.tokens[0]![0]).toMatchObject({ id: 202, token: 'w202' });
    expect(neighbours[0]!.tokens[0]![0]!.similarity).toBeCloseTo(1, 5);
    expect(of('done')[0]!.result).toMatchObject({ reason: 'completed', step: 4 });
    expect(events.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state)).toEqual(['loading', 'ready', 'training', 'finished']);

    await s.handle({ type: 'export', format: 'prompt' });
    const exported = of('exported')[0]!;
    expect(exported.fileName).toBe('tiny-gated.prompt.safetensors');
    const file = readPromptFile(exported.bytes, exported.fileName);
    expect([file.prompt.length, file.prompt.width]).toEqual([4, 64]);
    expect(file.metadata).toMatchObject({ baseModel: 'tiny-gated', dModel: 64, labels: ['w202', 'w101'], steps: 4, init: 'labels' });
    s.dispose();
  });

  it('resumes a stored run from its checkpoint, curve intact', async () => {
    const store = new IndexedDbRunStore(`resume-${Math.random()}`);
    const files = wordModelFiles('t5-tiny-relu');
    const first = workerSession({ store });
    await first.s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files } });
    await first.s.handle(start('run-2', 4));
    first.s.dispose();
    expect((await store.loadCheckpoint('run-2'))?.step).toBe(4);

    const second = workerSession({ store });
    await second.s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files } });
    await second.s.handle(start('run-2', 6, true));
    expect(second.of('error')).toEqual([]);
    expect(second.of('progress').map((p) => p.step)).toEqual([5, 6]);
    const run = await store.loadRun('run-2');
    expect(run?.losses.map(([step]) => step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(run?.status).toBe('completed');
    second.s.dispose();
  });

  it('reports errors as events instead of throwing', async () => {
    const { s, of } = workerSession();
    await s.handle(start('run-3', 2));
    expect(of('error')[0]).toMatchObject({ during: 'start', message: expect.stringMatching(/load a model first/) });
    await s.handle({ type: 'export', format: 'peft' });
    expect(of('error')[1]!.message).toMatch(/load a model first/);
    await s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny', files: wordModelFiles('t5-tiny-relu') } });
    await s.handle({ type: 'export', format: 'peft' });
    expect(of('error')[2]!.message).toMatch(/no prompt yet/);
    await s.handle({ type: 'import-prompts', files: [[{ name: 'x.prompt.safetensors', bytes: new Uint8Array([1, 2, 3]) }]] });
    expect(of('error')[3]!.during).toBe('import-prompts');
  });

  it('trains an ensemble in one run, then evaluates and predicts with it (each prompt votes)', async () => {
    const { s, of } = workerSession();
    await s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-gated', files: wordModelFiles('t5-tiny-gated') } });
    const request = start('ensemble', 3) as Extract<WorkerRequest, { type: 'start' }>;
    await s.handle({ ...request, config: { ...request.config, ensembleSize: 3, init: 'vocab' } });
    expect(of('error')).toEqual([]);
    const progress = of('progress');
    expect(progress.map((p) => p.memberLosses.length)).toEqual([3, 3, 3]);
    // the reported loss is the members' mean
    for (const p of progress) expect(p.losses[0]).toBeCloseTo((p.memberLosses[0]![0]! + p.memberLosses[1]![0]! + p.memberLosses[2]![0]!) / 3, 5);
    expect(of('validation').at(-1)!.members).toHaveLength(3);

    await s.handle({ type: 'evaluate', requestId: 7, examples });
    const evaluation = of('evaluation')[0]!;
    expect(evaluation).toMatchObject({ requestId: 7, n: 24, labels: ['w202', 'w101'] });
    expect(evaluation.members).toHaveLength(3);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(24);
    expect(evaluation.bestAccuracy).toBe(Math.max(...evaluation.members.map((m) => m.accuracy)));

    await s.handle({ type: 'predict', requestId: 8, texts: ['w10 w20 w40', 'w11 w21 w41'] });
    const predictions = of('predictions')[0]!;
    expect(predictions.results).toHaveLength(2);
    for (const r of predictions.results) {
      expect(r.votes).toHaveLength(3);
      expect(r.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const counts = [0, 1].map((l) => r.votes.filter((v) => v === l).length);
      expect(counts[r.answer]).toBeGreaterThanOrEqual(2); // 3 voters, 2 labels: the answer has a majority
    }

    await s.handle({ type: 'export', format: 'prompt', member: 2 });
    expect(of('exported')[0]!.fileName).toBe('tiny-gated-3.prompt.safetensors');
    s.dispose();
  });

  it('imports exported prompts as an ensemble and evaluates them', async () => {
    const trained = workerSession();
    const files = wordModelFiles('t5-tiny-relu');
    await trained.s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files } });
    const request = start('to-export', 2) as Extract<WorkerRequest, { type: 'start' }>;
    await trained.s.handle({ ...request, config: { ...request.config, ensembleSize: 2 } });
    for (const member of [0, 1]) await trained.s.handle({ type: 'export', format: member ? 'peft' : 'prompt', member });
    const [promptFile, peftZip] = trained.of('exported');

    const fresh = workerSession();
    await fresh.s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files } });
    await fresh.s.handle({ type: 'import-prompts', files: [[{ name: promptFile!.fileName, bytes: promptFile!.bytes }], [{ name: peftZip!.fileName, bytes: peftZip!.bytes }]] });
    expect(fresh.of('error')).toEqual([]);
    expect(fresh.of('prompts-ready')[0]).toMatchObject({ count: 2, labels: ['w202', 'w101'] });
    await fresh.s.handle({ type: 'evaluate', requestId: 1, examples });
    await trained.s.handle({ type: 'evaluate', requestId: 1, examples });
    // the imported ensemble scores exactly like the one that was trained
    expect(fresh.of('evaluation')[0]!.members).toEqual(trained.of('evaluation')[0]!.members);
    trained.s.dispose();
    fresh.s.dispose();
  });
});
