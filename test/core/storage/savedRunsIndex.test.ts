/**
 * The space saved runs take, as the Saved runs panel sums it (fake-indexeddb in Node): records plus
 * checkpoint arrays, kept current one run at a time, re-reading only the checkpoints that changed.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IndexedDbRunStore } from '../../../src/core/storage/indexedDbRunStore';
import type { RunRecord } from '../../../src/core/storage/runRecord';
import { SavedRunsIndex } from '../../../src/core/storage/savedRunsIndex';
import { DEFAULT_TRAINER_CONFIG, type TrainingCheckpoint } from '../../../src/core/tuning/trainer';

/** 2 × 6 prompt floats + 13 optimiser floats + one best prompt of 6 = 31 floats = 124 bytes. */
const checkpoint = (step: number): TrainingCheckpoint => ({
  step,
  promptShape: [2, 3],
  prompts: [new Float32Array(6).fill(step), new Float32Array(6)],
  optimizer: 'adafactor',
  optimizerState: [
    { name: 'iter', shape: [], values: Float32Array.from([step]) },
    { name: 'prompt0/adafactor_v', shape: [2, 3], values: new Float32Array(6) },
    { name: 'prompt1/adafactor_v', shape: [2, 3], values: new Float32Array(6) },
  ],
  best: [{ step, accuracy: 0.5, loss: 1, prompt: new Float32Array(6) }, undefined],
});
const CHECKPOINT_BYTES = 31 * 4;
/** The same shape without a best prompt: 25 floats. */
const noBest = (step: number): TrainingCheckpoint => ({ ...checkpoint(step), best: [undefined, undefined] });

const run = (id: string, createdAt: string, steps = 2): RunRecord => ({
  id,
  createdAt,
  updatedAt: createdAt,
  modelId: 'demo',
  config: DEFAULT_TRAINER_CONFIG,
  task: { labels: ['0', '1'], targetTexts: ['ham', 'spam'], template: '{text}', maxInputTokens: 256 },
  status: 'training',
  losses: Array.from({ length: steps }, (_, i) => [i + 1, 1 / (i + 1)] as [number, number]),
  validations: [],
});
/** What IndexedDB holds for a record, sized as JSON (the estimate the panel shows). */
const recordBytes = (r: RunRecord) => JSON.stringify(r).length;

/** The store, counting checkpoint reads. */
function counted() {
  const store = new IndexedDbRunStore(`sizes-${Math.random()}`);
  const reads: string[] = [];
  const load = store.loadCheckpoint.bind(store);
  store.loadCheckpoint = (id) => {
    reads.push(id);
    return load(id);
  };
  return { store, reads };
}

describe('SavedRunsIndex', () => {
  it('sums records and checkpoints, newest run first; a run without a checkpoint counts its record', async () => {
    const { store } = counted();
    const a = run('a', '2026-01-01T00:00:00Z');
    const b = run('b', '2026-02-01T00:00:00Z', 5);
    await store.saveRun(a);
    await store.saveCheckpoint('a', checkpoint(2));
    await store.saveRun(b);
    const index = new SavedRunsIndex(store);
    await index.reloadAll();
    expect(index.runs.map((r) => r.id)).toEqual(['b', 'a']);
    expect(index.totalBytes).toBe(recordBytes(a) + CHECKPOINT_BYTES + recordBytes(b));
  });

  it('re-reads only the announced run; the others keep their size', async () => {
    const { store, reads } = counted();
    const runs = ['a', 'b', 'c'].map((id, i) => run(id, `2026-0${i + 1}-01T00:00:00Z`));
    for (const r of runs) {
      await store.saveRun(r);
      await store.saveCheckpoint(r.id, checkpoint(2));
    }
    const index = new SavedRunsIndex(store);
    await index.reloadAll();
    expect(reads.sort()).toEqual(['a', 'b', 'c']);

    // Run b trains on: a longer record and a checkpoint without a best prompt (6 floats fewer).
    const longer = run('b', runs[1]!.createdAt, 40);
    await store.saveRun(longer);
    await store.saveCheckpoint('b', noBest(40));
    reads.length = 0;
    await index.reload(['b', 'b']);
    expect(reads).toEqual(['b']);
    expect(index.totalBytes).toBe(recordBytes(runs[0]!) + recordBytes(longer) + recordBytes(runs[2]!) + 2 * CHECKPOINT_BYTES + (CHECKPOINT_BYTES - 6 * 4));

    // The list again (another tab may have added a run): only the new run's checkpoint is read.
    const d = run('d', '2026-04-01T00:00:00Z');
    await store.saveRun(d);
    await store.saveCheckpoint('d', checkpoint(1));
    reads.length = 0;
    await index.reloadAll();
    expect(reads).toEqual(['d']);
    expect(index.runs.map((r) => r.id)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('drops a deleted run, whether announced or found missing from the list', async () => {
    const { store } = counted();
    const a = run('a', '2026-01-01T00:00:00Z');
    const b = run('b', '2026-02-01T00:00:00Z');
    for (const r of [a, b]) {
      await store.saveRun(r);
      await store.saveCheckpoint(r.id, checkpoint(2));
    }
    const index = new SavedRunsIndex(store);
    await index.reloadAll();
    await store.deleteRun('a');
    await index.reload(['a']);
    expect(index.runs.map((r) => r.id)).toEqual(['b']);
    expect(index.totalBytes).toBe(recordBytes(b) + CHECKPOINT_BYTES);
    await store.deleteRun('b');
    await index.reloadAll();
    expect(index.runs).toEqual([]);
    expect(index.totalBytes).toBe(0);
  });

  it('counts an unreadable checkpoint as none rather than failing the list', async () => {
    const { store } = counted();
    const a = run('a', '2026-01-01T00:00:00Z');
    await store.saveRun(a);
    store.loadCheckpoint = () => Promise.reject(new Error('broken'));
    const index = new SavedRunsIndex(store);
    await index.reloadAll();
    expect(index.totalBytes).toBe(recordBytes(a));
  });
});
