/**
 * The worker checks a run's memory again at Start (the settings may have changed since the Model
 * step): a run that cannot fit the backend (WebAssembly in Node) is refused with the numbers
 * before any data is prepared or any tensor made; a small run on the same model trains.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { WorkerRequest } from '../../../src/core/worker/protocol';
import { wordModelFiles } from '../../helpers/wordModel';
import { workerSession } from '../../helpers/workerSession';

const examples = Array.from({ length: 12 }, (_, i) => ({ text: `w${10 + (i % 2)} w${20 + i}`, label: i % 2 ? 'w101' : 'w202' }));

const start = (runId: string, config: Extract<WorkerRequest, { type: 'start' }>['config'], maxInputTokens?: number): WorkerRequest => ({
  type: 'start',
  runId,
  examples,
  validationFraction: 0.25,
  config: { promptLength: 4, init: 'labels', steps: 1, reportEvery: 1, evalEvery: 1, checkpointEvery: 0, dropoutRate: 0, seed: 1, ...config },
  ...(maxInputTokens ? { task: { maxInputTokens } } : {}),
});

describe('TrainingSession memory check at Start', () => {
  it('refuses a run the WebAssembly heap cannot hold, with the numbers, and trains one it can', async () => {
    const { s, events } = workerSession();
    await s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-gated', files: wordModelFiles('t5-tiny-gated') } });
    expect(events.find((e) => e.type === 'backend')).toMatchObject({ name: 'wasm' });
    const tensorsBefore = tf.memory().numTensors;

    // 256 rows × 10 prompts, 4,096 tokens each (4,100 with the prompt): validation scores 2,560 such rows at once.
    await s.handle(start('too-big', { batchSize: 256, ensembleSize: 10 }, 4096));
    const error = events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ during: 'start' });
    const message = (error as { message: string }).message;
    expect(message).toMatch(/^Not started: this run needs about [\d.]+ [GT]B .*2560 rows × 4100 tokens.* holds about 2\.6 GB of tensors\./);
    expect(message).toContain('Keep → Continue on a GPU cluster');
    expect(events.some((e) => e.type === 'data' || (e.type === 'state' && e.state === 'training'))).toBe(false);
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    events.length = 0;
    await s.handle(start('fits', { batchSize: 4 }));
    expect(events.filter((e) => e.type === 'error' || e.type === 'warning')).toEqual([]);
    expect(events.find((e) => e.type === 'done')).toMatchObject({ result: { step: 1 } });
    s.dispose();
  });
});
