/** The studio's reducer: worker events → what the page shows. */
import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../../../src/core/worker/protocol';
import { initialStudioState, studioReducer, type StudioState } from '../../../src/app/studio/studioState';

const fold = (events: Array<Parameters<typeof studioReducer>[1]>, from: StudioState = initialStudioState) => events.reduce(studioReducer, from);
const progress = (step: number, memberLosses: number[][]): WorkerEvent => ({
  type: 'progress',
  step,
  losses: memberLosses[0]!.map((_, j) => memberLosses.reduce((s, l) => s + l[j]!, 0) / memberLosses.length),
  memberLosses,
  learningRate: 0.3,
  examplesPerSecond: 10,
  tokensPerSecond: 100,
  elapsedMs: 1000,
});

describe('studioReducer', () => {
  it('builds one loss series per prompt from batched reports', () => {
    const s = fold([progress(2, [[3, 2.5], [4, 3.5]]), progress(3, [[2], [3]])]);
    expect(s.series.map((x) => x.name)).toEqual(['prompt 1', 'prompt 2']);
    expect(s.series[0]!.train).toEqual([
      { step: 1, loss: 3 },
      { step: 2, loss: 2.5 },
      { step: 3, loss: 2 },
    ]);
    expect(s.series[1]!.train.map((p) => p.loss)).toEqual([4, 3.5, 3]);
    expect(s.progress?.step).toBe(3);
  });

  it('continues a restored curve after a resume without repeating steps', () => {
    const restored = fold([{ type: 'restore-curve', series: [{ name: 'prompt', train: [1, 2, 3, 4].map((step) => ({ step, loss: 10 - step })), validation: [] }] }]);
    // the checkpoint was at step 3: step 4 is reported again by the resumed run
    const s = fold([progress(4, [[5.5]]), progress(5, [[5]])], restored);
    expect(s.series[0]!.train.map((p) => [p.step, p.loss])).toEqual([
      [1, 9],
      [2, 8],
      [3, 7],
      [4, 5.5],
      [5, 5],
    ]);
  });

  it('keeps per-prompt and ensemble validation', () => {
    const s = fold([
      {
        type: 'validation',
        step: 10,
        accuracy: 0.8,
        loss: 1.5,
        isBest: true,
        members: [
          { accuracy: 0.7, loss: 1.4, isBest: true },
          { accuracy: 0.6, loss: 1.6, isBest: true },
        ],
      },
    ]);
    expect(s.series.map((x) => x.validation)).toEqual([[{ step: 10, loss: 1.4, accuracy: 0.7 }], [{ step: 10, loss: 1.6, accuracy: 0.6 }]]);
    expect(s.ensembleValidation).toEqual([{ step: 10, accuracy: 0.8 }]);
  });

  it('tracks downloads, the model, a lost GPU and errors', () => {
    let s = fold([
      { type: 'state', state: 'loading' },
      { type: 'load-progress', file: 'model.safetensors', loaded: 10, total: 100 },
      { type: 'load-progress', file: 'model.safetensors', loaded: 100, total: 100 },
      { type: 'model-loaded', modelId: 'demo', dModel: 64, vocabSize: 664, parameters: 282624, hasTokenizer: true },
    ]);
    expect(s.download?.files['model.safetensors']).toEqual({ loaded: 100, total: 100, fromCache: undefined });
    expect(s.model).toEqual({ id: 'demo', dModel: 64, vocabSize: 664, parameters: 282624, hasTokenizer: true });
    s = fold([{ type: 'gpu-lost', message: 'The GPU was lost', runId: 'r', checkpointStep: 20 }, { type: 'state', state: 'interrupted' }], s);
    expect(s.gpuLost).toEqual({ message: 'The GPU was lost', runId: 'r', checkpointStep: 20 });
    s = fold([{ type: 'state', state: 'training' }], s);
    expect(s.gpuLost).toBeUndefined();
    s = fold([{ type: 'error', message: 'a', during: 'start' }, { type: 'error', message: 'b', during: 'export' }, { type: 'dismiss-error', index: 0 }], s);
    expect(s.errors).toEqual([{ message: 'b', during: 'export' }]);
  });
  it('shows a failure that repeats at every checkpoint (storage full) once, and a different one beside it', () => {
    const full: WorkerEvent = { type: 'error', message: 'Could not save the checkpoint: storage full', during: 'checkpoint' };
    const s = fold([full, progress(1, [[1]]), full, full, { type: 'error', message: 'another', during: 'checkpoint' }]);
    expect(s.errors.map((e) => e.message)).toEqual(['Could not save the checkpoint: storage full', 'another']);
  });

  it('keeps the usable backends and the measured step times for the badge; a trial shows until the choice arrives', () => {
    const timings = [{ backend: 'webgl' as const, firstStepMs: 4000, stepMs: 120 }, { backend: 'wasm' as const, firstStepMs: 1200, stepMs: 900 }];
    const started = fold([{ type: 'backend', name: 'webgpu', detail: 'nvidia', usable: ['webgpu', 'webgl', 'wasm'] }, { type: 'backend-trial', backends: ['webgpu', 'webgl', 'wasm'] }]);
    expect(started.backend).toEqual({ name: 'webgpu', detail: 'nvidia', reason: undefined, usable: ['webgpu', 'webgl', 'wasm'], measured: undefined, measuring: ['webgpu', 'webgl', 'wasm'] });
    const record = { key: 'k', chosen: 'webgl' as const, timings, measuredAt: '2026-12-02T13:00:00.000Z' };
    const chosen = fold([{ type: 'backend-measured', record }, { type: 'backend', name: 'webgl', detail: 'ANGLE', usable: ['webgpu', 'webgl', 'wasm'], measured: { because: 'measured', timings } }], started);
    expect(chosen.backend).toEqual({ name: 'webgl', detail: 'ANGLE', reason: undefined, usable: ['webgpu', 'webgl', 'wasm'], measured: { because: 'measured', timings } });
    // A trial before any backend is known changes nothing.
    expect(fold([{ type: 'backend-trial', backends: ['wasm'] }]).backend).toBeUndefined();
  });
});
