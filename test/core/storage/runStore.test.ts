/** Runs and checkpoints survive in IndexedDB (fake-indexeddb in Node) and as checkpoint files. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../src/core/io/safetensors';
import { decodeCheckpoint, encodeCheckpoint } from '../../../src/core/storage/checkpointCodec';
import { IndexedDbRunStore } from '../../../src/core/storage/indexedDbRunStore';
import type { RunRecord } from '../../../src/core/storage/runRecord';
import { DEFAULT_TRAINER_CONFIG, type TrainingCheckpoint } from '../../../src/core/tuning/trainer';

const checkpoint: TrainingCheckpoint = {
  step: 40,
  promptShape: [2, 3],
  prompts: [Float32Array.from([1, -2, 3.5, 0, 1e-8, -0]), Float32Array.from([9, 8, 7, 6, 5, 4])],
  optimizer: 'adafactor',
  optimizerState: [
    { name: 'iter', shape: [], values: Float32Array.from([40]) },
    { name: 'prompt0/adafactor_v', shape: [2, 3], values: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) },
    { name: 'prompt1/adafactor_v', shape: [2, 3], values: Float32Array.from([0.6, 0.5, 0.4, 0.3, 0.2, 0.1]) },
  ],
  best: [{ step: 30, accuracy: 0.75, loss: 1.25, prompt: Float32Array.from([6, 5, 4, 3, 2, 1]) }, undefined],
};

const run = (id: string, createdAt: string): RunRecord => ({
  id,
  createdAt,
  updatedAt: createdAt,
  modelId: 'google/t5-base-lm-adapt',
  config: DEFAULT_TRAINER_CONFIG,
  task: { labels: ['0', '1'], targetTexts: ['negative', 'positive'], template: '{text}', maxInputTokens: 256 },
  status: 'training',
  losses: [[1, 2.5], [2, 2.25]],
  validations: [{ step: 2, accuracy: 0.5, loss: 2 }],
});

describe('checkpoint files', () => {
  it('round-trip every field exactly', () => {
    expect(decodeCheckpoint(encodeCheckpoint(checkpoint))).toEqual(checkpoint);
    const noBest = { ...checkpoint, best: [undefined, undefined] };
    expect(decodeCheckpoint(encodeCheckpoint(noBest))).toEqual(noBest);
  });

  it('refuses a safetensors file that is not a checkpoint', () => {
    const promptFile = writeSafetensors({ prompt_embeddings: { shape: [2, 3], data: checkpoint.prompts[0]! } }, { format: 'pt' });
    expect(() => decodeCheckpoint(promptFile, 'x.checkpoint')).toThrow(/not a training checkpoint/);
  });
});

describe('IndexedDbRunStore', () => {
  it('keeps runs and their latest checkpoint across store instances (a reload)', async () => {
    const name = `test-${Math.random()}`;
    const first = new IndexedDbRunStore(name);
    await first.saveRun(run('a', '2026-01-01T00:00:00Z'));
    await first.saveRun(run('b', '2026-02-01T00:00:00Z'));
    await first.saveCheckpoint('a', checkpoint);
    await first.saveCheckpoint('a', { ...checkpoint, step: 50 });

    const second = new IndexedDbRunStore(name);
    expect((await second.listRuns()).map((r) => r.id)).toEqual(['b', 'a']); // newest first
    expect(await second.loadRun('a')).toEqual(run('a', '2026-01-01T00:00:00Z'));
    expect(await second.loadCheckpoint('a')).toEqual({ ...checkpoint, step: 50 });
    expect(await second.loadCheckpoint('b')).toBeUndefined();

    await second.deleteRun('a');
    expect(await second.loadRun('a')).toBeUndefined();
    expect(await second.loadCheckpoint('a')).toBeUndefined();
  });

  it('reports a full disk in words instead of swallowing it', async () => {
    const store = new IndexedDbRunStore(`quota-${Math.random()}`);
    const db = await (store as unknown as { open(): Promise<{ put: unknown }> }).open();
    db.put = () => Promise.reject(new DOMException('quota', 'QuotaExceededError'));
    await expect(store.saveCheckpoint('a', checkpoint)).rejects.toThrow(/storage for this site is full/);
  });
});
