/** The real training worker in Chromium: WebGPU inside the worker, typed messages both ways, nothing blocks the page. */
import { expect, it } from 'vitest';
import { readPromptFile } from '../../../src/core/promptFile/promptFile';
import type { WorkerEvent, WorkerRequest } from '../../../src/core/worker/protocol';

async function file(url: string, name: string): Promise<File> {
  return new File([await (await fetch(url)).arrayBuffer()], name);
}

async function modelFiles(): Promise<File[]> {
  const base = `${location.origin}/test/fixtures`;
  return [
    await file(`${base}/t5-tiny-relu/config.json`, 'config.json'),
    await file(`${base}/t5-tiny-relu/model.safetensors`, 'model.safetensors'),
    await file(`${base}/word-tokenizer-512/tokenizer.json`, 'tokenizer.json'),
  ];
}

/** The real worker, its events, and a way to wait for them (failing on any error event). */
function startWorker() {
  const worker = new Worker(new URL('../../../src/core/worker/trainingWorker.ts', import.meta.url), { type: 'module' });
  const events: WorkerEvent[] = [];
  const waiters: Array<() => void> = [];
  worker.onmessage = (e: MessageEvent<WorkerEvent>) => {
    events.push(e.data);
    waiters.splice(0).forEach((w) => w());
  };
  const send = (r: WorkerRequest) => worker.postMessage(r);
  const until = async (check: () => boolean, timeoutMs = 300_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const err = events.find((e) => e.type === 'error');
      if (err) throw new Error(`worker error: ${JSON.stringify(err)}`);
      if (Date.now() > deadline) throw new Error(`timed out; events: ${events.map((e) => e.type).join(',')}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  const of = <T extends WorkerEvent['type']>(type: T) => events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);
  return { worker, events, send, until, of };
}

const examples = Array.from({ length: 16 }, (_, i) => ({ text: `w${10 + (i % 2)} w${30 + i}`, label: i % 2 ? 'w101' : 'w202' }));

it('trains in a Web Worker on WebGPU, pauses, resumes and exports', async () => {
  const files = await modelFiles();
  const { worker, send, until, of } = startWorker();

  send({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files }, backends: ['webgpu'] });
  await until(() => of('model-loaded').length > 0);
  expect(of('backend')[0]!.name).toBe('webgpu');

  send({ type: 'start', runId: `worker-${Date.now()}`, examples, validationFraction: 0.25, config: { promptLength: 4, batchSize: 4, steps: 6, reportEvery: 1, evalEvery: 3, checkpointEvery: 3, dropoutRate: 0 } });
  await until(() => of('progress').length >= 2);
  send({ type: 'pause' });
  await until(() => of('state').some((s) => s.state === 'paused'));
  const pausedAt = of('progress').length;
  // The page's own event loop keeps running while the worker trains or waits.
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 300));
  expect(performance.now() - t0).toBeLessThan(2000);
  expect(of('progress').length).toBeLessThanOrEqual(pausedAt + 1); // at most the step in flight finishes
  send({ type: 'resume' });
  await until(() => of('done').length > 0);
  expect(of('progress').map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(of('validation').map((v) => v.step)).toEqual([3, 6]);
  expect(of('done')[0]!.result.reason).toBe('completed');

  send({ type: 'export', format: 'prompt' });
  await until(() => of('exported').length > 0);
  const exported = readPromptFile(of('exported')[0]!.bytes);
  expect([exported.prompt.length, exported.prompt.width]).toEqual([4, 64]);
  expect(exported.metadata.labels).toEqual(['w202', 'w101']);
  worker.terminate();
});

it.each([
  ['a new WebGPU device', ['webgpu'] as const, 'webgpu'],
  ['the CPU fallback (WebAssembly)', ['wasm', 'cpu'] as const, 'wasm'],
])('survives a lost GPU device mid-training and resumes from the checkpoint on %s', async (_name, backends, expected) => {
  const { worker, events, send, until, of } = startWorker();
  send({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files: await modelFiles() }, backends: ['webgpu'] });
  await until(() => of('model-loaded').length > 0);
  const runId = `lost-${expected}-${Date.now()}`;
  send({ type: 'start', runId, examples, validationFraction: 0.25, config: { promptLength: 4, batchSize: 4, steps: 12, reportEvery: 1, evalEvery: 0, checkpointEvery: 3, dropoutRate: 0 } });
  await until(() => of('checkpoint').some((c) => c.step === 3));
  send({ type: 'simulate-device-loss' });
  await until(() => of('gpu-lost').length > 0);
  const lost = of('gpu-lost')[0]!;
  expect(lost.message).toMatch(/GPU was lost/);
  expect(lost.runId).toBe(runId);
  const saved = lost.checkpointStep!;
  expect(saved % 3).toBe(0);
  await until(() => of('state').at(-1)?.state === 'interrupted');
  const before = events.length;

  send({ type: 'recover', backends: [...backends] });
  await until(() => of('done').length > 0);
  const after = events.slice(before);
  expect(after.find((e) => e.type === 'backend')).toMatchObject({ name: expected });
  const steps = after.filter((e) => e.type === 'progress').map((e) => (e as { step: number }).step);
  expect(steps[0]).toBe(saved + 1); // continues right after the checkpoint
  expect(steps.at(-1)).toBe(12);
  expect(of('done')[0]!.result.reason).toBe('completed');
  worker.terminate();
});
