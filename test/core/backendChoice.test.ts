// Choosing the backend by measurement: keys, the fastest, the plan, stored records (no timing asserted).
import { describe, expect, it } from 'vitest';
import { choiceKey, describeTimings, deviceKey, fastest, parseRecords, planBackend, rememberRecord, shapeKey, summariseSteps, type BackendRecord, type UsableBackend } from '../../src/core/backendChoice';
import { T5_V1_1_SMALL } from '../../src/core/model/presets';

const GPU: UsableBackend = { name: 'webgpu', device: 'nvidia / ampere' };
const GL: UsableBackend = { name: 'webgl', device: 'ANGLE (NVIDIA RTX 3090)' };
const WASM: UsableBackend = { name: 'wasm', device: '8 cores' };
const RUN = { batchSize: 32, promptLength: 100, maxInputTokens: 256, ensembleSize: 1 };

const record = (key: string, chosen: BackendRecord['chosen']): BackendRecord => ({ key, chosen, timings: [{ backend: chosen, stepMs: 100, firstStepMs: 900 }], measuredAt: '2026-12-02T13:00:00.000Z' });

describe('keys', () => {
  it('name the device by every usable backend and what it runs on, whatever order they were found in', () => {
    expect(deviceKey([WASM, GPU, GL])).toBe('webgpu=nvidia / ampere|webgl=ANGLE (NVIDIA RTX 3090)|wasm=8 cores');
    expect(deviceKey([GL, WASM, GPU])).toBe(deviceKey([GPU, GL, WASM]));
    expect(deviceKey([GPU, WASM])).not.toBe(deviceKey([{ ...GPU, device: 'apple / m2' }, WASM]));
  });

  it('name the shape by the model dimensions and the run, not the model name', () => {
    const base = shapeKey(T5_V1_1_SMALL, RUN);
    expect(base).toBe('d512-kv64-h6-ff1024g-L8+8-v32128/b32-p100-n256-k1');
    expect(shapeKey({ ...T5_V1_1_SMALL, name: 'another repo' } as typeof T5_V1_1_SMALL, RUN)).toBe(base);
    for (const change of [{ batchSize: 8 }, { promptLength: 20 }, { maxInputTokens: 128 }, { ensembleSize: 5 }]) expect(shapeKey(T5_V1_1_SMALL, { ...RUN, ...change })).not.toBe(base);
    expect(shapeKey({ ...T5_V1_1_SMALL, dModel: 768 }, RUN)).not.toBe(base);
    expect(choiceKey([GPU, WASM], T5_V1_1_SMALL, RUN)).toBe(`${deviceKey([GPU, WASM])}#${base}`);
  });
});

describe('summariseSteps and fastest', () => {
  it('keeps the first step apart and takes the median of the rest', () => {
    expect(summariseSteps('wasm', [5000, 300, 100])).toEqual({ backend: 'wasm', firstStepMs: 5000, stepMs: 200 });
    expect(summariseSteps('wasm', [5000, 300, 100, 200])).toEqual({ backend: 'wasm', firstStepMs: 5000, stepMs: 200 });
    // One step only: it is all there is.
    expect(summariseSteps('webgl', [750])).toEqual({ backend: 'webgl', firstStepMs: 750, stepMs: 750 });
    expect(summariseSteps('webgl', [])).toEqual({ backend: 'webgl', error: 'no step ran' });
  });

  it('picks the shortest step that ran; a tie goes to WebGPU, then WebGL, then WebAssembly', () => {
    expect(fastest([{ backend: 'webgpu', stepMs: 180 }, { backend: 'webgl', stepMs: 120 }, { backend: 'wasm', stepMs: 900 }])).toBe('webgl');
    expect(fastest([{ backend: 'wasm', stepMs: 100 }, { backend: 'webgpu', stepMs: 100 }])).toBe('webgpu');
    // A failed backend never wins, however its (partial) time looks.
    expect(fastest([{ backend: 'webgpu', stepMs: 1, error: 'out of memory' }, { backend: 'wasm', stepMs: 900 }])).toBe('wasm');
    expect(fastest([{ backend: 'webgpu', error: 'did not start' }])).toBeUndefined();
  });
});

describe('planBackend', () => {
  const key = choiceKey([GPU, GL, WASM], T5_V1_1_SMALL, RUN);

  it('measures every usable backend, GPUs first, the first time a shape is used', () => {
    expect(planBackend([WASM, GL, GPU], { records: [] }, key)).toEqual({ kind: 'measure', backends: ['webgpu', 'webgl', 'wasm'], key });
  });

  it('uses the remembered choice for this key, and only for this key', () => {
    const mine = record(key, 'webgl');
    expect(planBackend([GPU, GL, WASM], { records: [record('other', 'wasm'), mine] }, key)).toEqual({ kind: 'use', backend: 'webgl', because: 'remembered', record: mine });
    expect(planBackend([GPU, GL, WASM], { records: [record('other', 'wasm')] }, key).kind).toBe('measure');
  });

  it('measures again when the remembered backend is no longer usable', () => {
    expect(planBackend([GPU, WASM], { records: [record(key, 'webgl')] }, key)).toEqual({ kind: 'measure', backends: ['webgpu', 'wasm'], key });
  });

  it('obeys a usable override before any record', () => {
    expect(planBackend([GPU, GL, WASM], { records: [record(key, 'webgl')], override: 'wasm' }, key)).toEqual({ kind: 'use', backend: 'wasm', because: 'override' });
  });

  it('ignores an override that is not usable here, saying so when there is nothing else to choose', () => {
    expect(planBackend([GPU, WASM], { records: [], override: 'webgl' }, key).kind).toBe('measure');
    expect(planBackend([WASM], { records: [], override: 'webgpu' }, key)).toEqual({ kind: 'keep', note: 'WebGPU was chosen, but it is not available on this device' });
  });

  it('measures nothing when only one backend (or none) is usable', () => {
    expect(planBackend([WASM], { records: [] }, key)).toEqual({ kind: 'keep' });
    expect(planBackend([], { records: [] }, key)).toEqual({ kind: 'keep' });
  });
});

describe('stored records', () => {
  it('keep the newest record per key first, at most `max`', () => {
    const a = record('a', 'wasm');
    const b = record('b', 'webgpu');
    const a2 = record('a', 'webgl');
    expect(rememberRecord([a, b], a2)).toEqual([a2, b]);
    const many = Array.from({ length: 5 }, (_, i) => record(`k${i}`, 'wasm'));
    expect(rememberRecord(many, record('new', 'webgpu'), 3).map((r) => r.key)).toEqual(['new', 'k0', 'k1']);
  });

  it('read back what was written, and drop damaged entries instead of failing', () => {
    const good = record('a', 'webgpu');
    expect(parseRecords(JSON.stringify([good]))).toEqual([good]);
    expect(parseRecords(null)).toEqual([]);
    expect(parseRecords('{not json')).toEqual([]);
    expect(parseRecords('{"key":"a"}')).toEqual([]);
    const damaged = [
      { ...good, chosen: 'quantum' },
      { ...good, key: 3 },
      { ...good, timings: [{ backend: 'wasm', stepMs: -1 }] },
      { ...good, timings: [{ backend: 'wasm', stepMs: 'fast' }] },
      { ...good, measuredAt: undefined },
      null,
      good,
    ];
    expect(parseRecords(JSON.stringify(damaged))).toEqual([good]);
  });
});

describe('describeTimings', () => {
  it('lists the step times fastest first, in ms below a second, then the failures', () => {
    expect(describeTimings([{ backend: 'wasm', stepMs: 1500 }, { backend: 'webgpu', error: 'out of memory' }, { backend: 'webgl', stepMs: 119.6 }])).toBe('WebGL 120 ms · WebAssembly 1.50 s · WebGPU failed (out of memory)');
  });
});
