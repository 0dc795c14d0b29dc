/** The real training worker in Chromium: WebGPU inside the worker, typed messages both ways, nothing blocks the page. */
import { expect, it } from 'vitest';
import { readPromptFile } from '../../../src/core/promptFile/promptFile';
import type { WorkerEvent, WorkerRequest } from '../../../src/core/worker/protocol';

async function file(url: string, name: string): Promise<File> {
  return new File([await (await fetch(url)).arrayBuffer()], name);
}

it('trains in a Web Worker on WebGPU, pauses, resumes and exports', async () => {
  const base = `${location.origin}/test/fixtures`;
  const files = [
    await file(`${base}/t5-tiny-relu/config.json`, 'config.json'),
    await file(`${base}/t5-tiny-relu/model.safetensors`, 'model.safetensors'),
    await file(`${base}/word-tokenizer-512/tokenizer.json`, 'tokenizer.json'),
  ];
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

  send({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files }, backends: ['webgpu'] });
  await until(() => of('model-loaded').length > 0);
  expect(of('backend')[0]!.name).toBe('webgpu');

  const examples = Array.from({ length: 16 }, (_, i) => ({ text: `w${10 + (i % 2)} w${30 + i}`, label: i % 2 ? 'w101' : 'w202' }));
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
