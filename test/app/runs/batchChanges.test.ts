/** Announcements of changed runs coalesce into one reload per wait (driven by a hand-run timer). */
import { expect, it } from 'vitest';
import { batchChanges, type Timers } from '../../../src/app/runs/batchChanges';

function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    setTimeout: (f) => {
      pending.set(++next, f);
      return next;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  const fire = () => {
    const due = [...pending.values()];
    pending.clear();
    for (const f of due) f();
  };
  return { timers, fire, count: () => pending.size };
}

it('collects every run announced during the wait into one flush, then starts afresh', () => {
  const { timers, fire, count } = manualTimers();
  const flushes: string[][] = [];
  const batch = batchChanges((ids) => flushes.push([...ids].sort()), 400, timers);
  batch.add('b');
  batch.add('a');
  batch.add('b');
  expect(count()).toBe(1); // one wait, not one per announcement
  expect(flushes).toEqual([]);
  fire();
  expect(flushes).toEqual([['a', 'b']]);
  batch.add('c');
  fire();
  expect(flushes).toEqual([['a', 'b'], ['c']]);
});

it('drops a pending batch when cancelled', () => {
  const { timers, fire, count } = manualTimers();
  const flushes: string[][] = [];
  const batch = batchChanges((ids) => flushes.push([...ids]), 400, timers);
  batch.add('a');
  batch.cancel();
  expect(count()).toBe(0);
  fire();
  expect(flushes).toEqual([]);
});
