// The worker picks the run's backend by measurement (Node: WebAssembly against the CPU backend standing
// in for a second usable backend): measured once per shape, then remembered, and a person's override
// obeyed. Which backend is faster is never asserted, only that the faster measured one is used.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { BackendPreferences } from '../../../src/core/backendChoice';
import type { WorkerEvent, WorkerRequest } from '../../../src/core/worker/protocol';
import { wordModelFiles } from '../../helpers/wordModel';
import { workerSession } from '../../helpers/workerSession';

const examples = Array.from({ length: 16 }, (_, i) => ({ text: `w${10 + (i % 2)} w${20 + i}`, label: i % 2 ? 'w101' : 'w202' }));

/** A session that may use these backends (Node has no GPU: the CPU backend stands in for a second one). */
const session = (usable = [{ name: 'wasm' as const, device: 'test cores' }, { name: 'cpu' as const, device: 'javascript' }]) => workerSession({ backendOptions: { usable: async () => usable } });

const start = (runId: string, backendPreferences?: BackendPreferences): WorkerRequest => ({
  type: 'start',
  runId,
  examples,
  validationFraction: 0.25,
  config: { promptLength: 4, init: 'labels', batchSize: 4, steps: 2, reportEvery: 1, evalEvery: 2, checkpointEvery: 0, dropoutRate: 0, seed: 1 },
  backendPreferences,
});

describe('choosing the backend for a run', () => {
  it('measures each usable backend on first use, trains on the fastest, then reuses the record and obeys an override', async () => {
    const { s, of } = session();
    await s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny', files: wordModelFiles('t5-tiny-gated') } });
    expect(of('backend')[0]).toMatchObject({ name: 'wasm', usable: ['wasm', 'cpu'] });

    await s.handle(start('run-1', { records: [] }));
    expect(of('error')).toEqual([]);
    expect(of('backend-trial')).toEqual([{ type: 'backend-trial', backends: ['wasm', 'cpu'] }]);
    const [{ record }] = of('backend-measured') as [Extract<WorkerEvent, { type: 'backend-measured' }>];
    expect(record.key).toBe('wasm=test cores|cpu=javascript#d64-kv16-h4-ff128g-L2+2-v512/b4-p4-n256-k1');
    expect(record.timings.map((t) => t.backend)).toEqual(['wasm', 'cpu']);
    for (const t of record.timings) expect(t.error).toBeUndefined(), expect(t.stepMs).toBeGreaterThan(0);
    const quicker = record.timings[0]!.stepMs! <= record.timings[1]!.stepMs! ? 'wasm' : 'cpu';
    expect(record.chosen).toBe(quicker);
    const measured = of('backend').at(-1)!;
    expect(measured).toMatchObject({ name: quicker, measured: { because: 'measured', timings: record.timings } });
    expect(tf.getBackend()).toBe(quicker);
    expect(of('done')[0]!.result).toMatchObject({ reason: 'completed', step: 2 });

    // Same device and shape again: no trial, the remembered choice.
    await s.handle(start('run-2', { records: [record] }));
    expect(of('backend-trial')).toHaveLength(1);
    expect(of('backend').at(-1)).toMatchObject({ name: quicker, measured: { because: 'remembered' } });
    expect(of('done')).toHaveLength(2);

    // The person's override wins over the record; the model moves there and the run trains.
    const other = quicker === 'wasm' ? 'cpu' : 'wasm';
    await s.handle(start('run-3', { records: [record], override: other }));
    expect(of('error')).toEqual([]);
    expect(of('backend').at(-1)).toMatchObject({ name: other, measured: { because: 'override' } });
    expect(tf.getBackend()).toBe(other);
    expect(of('done')).toHaveLength(3);
    expect(of('done')[2]!.result).toMatchObject({ reason: 'completed', step: 2 });
    s.dispose();
  });

  it('measures nothing with one usable backend, or when the page sends no preferences', async () => {
    const { s, of } = session([{ name: 'wasm', device: 'test cores' }]);
    await s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny', files: wordModelFiles('t5-tiny-gated') } });
    await s.handle(start('run-a', { records: [] }));
    await s.handle(start('run-b'));
    expect(of('error')).toEqual([]);
    expect(of('backend-trial')).toEqual([]);
    expect(of('backend')).toHaveLength(1);
    expect(of('done')).toHaveLength(2);
    s.dispose();
  });
});
