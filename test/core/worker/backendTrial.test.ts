// The backend trial: made-up weights of the right shapes, steps timed per backend, a failure recorded
// not thrown, nothing left behind. How long a step takes is never asserted.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { parseT5Config } from '../../../src/core/model/t5Config';
import { expectedParameters } from '../../../src/core/model/t5Parameters';
import type { TrainingData } from '../../../src/core/tuning/trainer';
import { timeBackends, TIMED_STEPS, trialWeights } from '../../../src/core/worker/backendTrial';

const config = parseT5Config(JSON.parse(readFileSync(new URL('../../fixtures/t5-tiny-gated/config.json', import.meta.url), 'utf8')));

const data: TrainingData = {
  train: Array.from({ length: 8 }, (_, i) => ({ inputIds: [10 + i, 20 + i, 30 + i, 1], labelIndex: i % 2 })),
  validation: [],
  targets: [[101, 1], [202, 1]],
  labelTokenIds: [[101], [202]],
};

describe('trialWeights', () => {
  it('offers every parameter at its expected shape: norms at one, the rest small, varied and finite', () => {
    const store = trialWeights(config);
    const expected = expectedParameters(config);
    expect(store.names().sort()).toEqual([...expected.keys()].sort());
    const bound = 0.5 / Math.sqrt(config.dModel);
    for (const [name, shape] of expected) {
      expect(store.info(name)!.shape).toEqual(shape);
      const values = store.readF32(name);
      expect(values.length).toBe(shape.reduce((a, d) => a * d, 1));
      if (name.endsWith('layer_norm.weight')) expect(values.every((v) => v === 1)).toBe(true);
      else {
        expect(values.every((v) => Number.isFinite(v) && Math.abs(v) <= bound)).toBe(true);
        expect(new Set(values).size).toBeGreaterThan(Math.min(values.length, 100) / 2);
      }
    }
    expect(store.info('no.such.tensor')).toBeUndefined();
  });
});

describe('timeBackends', () => {
  it('times a warm-up and the timed steps on each backend, records a backend that cannot start, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const timings = await timeBackends(['cpu', 'webgpu'], config, data, { promptLength: 4, batchSize: 4, dropoutRate: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(timings).toHaveLength(2);
    const [cpu, webgpu] = timings;
    expect(cpu).toMatchObject({ backend: 'cpu' });
    expect(cpu!.error).toBeUndefined();
    expect(cpu!.firstStepMs).toBeGreaterThan(0);
    expect(cpu!.stepMs).toBeGreaterThan(0);
    expect(TIMED_STEPS).toBeGreaterThanOrEqual(2);
    // Node has no WebGPU: that is the trial's result for it, with the reason.
    expect(webgpu!.backend).toBe('webgpu');
    expect(webgpu!.stepMs).toBeUndefined();
    expect(webgpu!.error).toMatch(/\S/);
    await tf.setBackend('cpu');
  });
});
