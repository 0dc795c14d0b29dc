/**
 * One owner per run: two sessions (two tabs) sharing the run store and the locks cannot train the
 * same run at once; once the owner is done (or its tab closed), the other may take the run over.
 */
import { expect, it } from 'vitest';
import { IndexedDbRunStore } from '../../../src/core/storage/indexedDbRunStore';
import { memoryRunLocks } from '../../../src/core/storage/runLocks';
import type { WorkerRequest } from '../../../src/core/worker/protocol';
import { wordModelFiles } from '../../helpers/wordModel';
import { workerSession } from '../../helpers/workerSession';

const examples = Array.from({ length: 16 }, (_, i) => ({ text: `w${10 + (i % 2)} w${20 + i}`, label: i % 2 ? 'w101' : 'w202' }));
const files = () => wordModelFiles('t5-tiny-gated');

/** A tab's session: its own worker, the shared store and locks. */
function tab(store: IndexedDbRunStore, locks: ReturnType<typeof memoryRunLocks>) {
  const session = workerSession({ store, locks });
  return { ...session, errors: () => session.of('error').map((e) => e.message) };
}

const start = (steps: number, resume = false): WorkerRequest => ({
  type: 'start',
  runId: 'shared-run',
  examples,
  validationFraction: 0.25,
  config: { promptLength: 2, batchSize: 4, steps, reportEvery: 1, evalEvery: 0, checkpointEvery: 1, dropoutRate: 0 },
  resume,
});

it('a second tab cannot train a run the first is training, and takes it over once the first is done', async () => {
  const store = new IndexedDbRunStore(`owners-${Math.random()}`);
  const locks = memoryRunLocks();
  const [a, b] = [tab(store, locks), tab(store, locks)];
  const model: WorkerRequest = { type: 'load-model', model: { kind: 'files', id: 'tiny', files: files() } };
  await a.s.handle(model);
  await b.s.handle(model);

  // Tab B asks while tab A trains: refused in words, nothing written by B.
  const running = a.s.handle(start(6));
  await new Promise((r) => setTimeout(r, 0));
  const duringA = await locks.heldRuns();
  await b.s.handle(start(6, true));
  await running;
  expect(duringA).toEqual(new Set(['shared-run']));
  expect(b.errors()).toEqual([expect.stringMatching(/training in another tab/)]);
  expect(b.events.some((e) => e.type === 'progress' || e.type === 'checkpoint')).toBe(false);
  expect(a.errors()).toEqual([]);
  expect((await store.loadCheckpoint('shared-run'))!.step).toBe(6);

  // A finished and let go: B may continue the run (here: resume from its last checkpoint).
  expect(await locks.heldRuns()).toEqual(new Set());
  await b.s.handle(start(8, true));
  expect(b.errors()).toHaveLength(1);
  expect(b.events.filter((e) => e.type === 'progress').map((e) => (e as { step: number }).step)).toEqual([7, 8]);
});
