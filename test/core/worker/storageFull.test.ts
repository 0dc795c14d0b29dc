/**
 * Storage full mid-run: training goes on in memory, each failed save is said in words, and the
 * last checkpoint that was saved stays readable (a failed write never replaces it).
 */
import { expect, it } from 'vitest';
import { IndexedDbRunStore } from '../../../src/core/storage/indexedDbRunStore';
import { wordModelFiles } from '../../helpers/wordModel';
import { workerSession } from '../../helpers/workerSession';

const examples = Array.from({ length: 16 }, (_, i) => ({ text: `w${10 + (i % 2)} w${20 + i}`, label: i % 2 ? 'w101' : 'w202' }));

it('keeps training when the browser storage fills up, says so, and keeps the last good checkpoint', async () => {
  const store = new IndexedDbRunStore(`full-${Math.random()}`);
  const save = store.saveCheckpoint.bind(store);
  let full = false;
  // The disk fills up after the checkpoint at step 2: every later write fails as the browser fails it.
  store.saveCheckpoint = async (runId, checkpoint) => {
    if (full) throw Object.assign(new Error('Could not save the checkpoint: the browser\'s storage for this site is full.'), { name: 'StorageError' });
    await save(runId, checkpoint);
    if (checkpoint.step >= 2) full = true;
  };
  const { s, events } = workerSession({ store });
  await s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny', files: wordModelFiles('t5-tiny-gated') } });
  await s.handle({ type: 'start', runId: 'full-run', examples, validationFraction: 0.25, config: { promptLength: 2, batchSize: 4, steps: 6, reportEvery: 1, evalEvery: 0, checkpointEvery: 1, dropoutRate: 0 } });

  expect(events.filter((e) => e.type === 'progress').map((e) => (e as { step: number }).step)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(events.find((e) => e.type === 'done')).toMatchObject({ result: { reason: 'completed', step: 6 } });
  const failures = events.filter((e) => e.type === 'error') as Array<{ message: string; during: string }>;
  expect(failures.length).toBeGreaterThan(0);
  expect(failures.every((f) => f.during === 'checkpoint' && /storage for this site is full/.test(f.message))).toBe(true);
  const kept = await store.loadCheckpoint('full-run');
  expect(kept!.step).toBe(2);
  expect(kept!.prompts[0]!.length).toBe(2 * 64);
  expect(kept!.prompts[0]!.every(Number.isFinite)).toBe(true);
});
