/**
 * The bench page: bench/run.ts opens it once per backend (a fresh page, so each backend's memory
 * peaks are its own), calls `bench.init(backend)` and then `bench.run(job)` for each measurement.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { T5Model } from '../src/core/model/t5Model';
import { prepareWasm } from '../src/core/wasmBackend';
import { randomT5 } from './randomT5';
import type { BackendInfo, BenchBackend, Job, JobResult } from './types';
import { runVocabulary } from './vocabularyWorkload';
import { hookPeak, makeStepper, runLeak, runMatMul, runProfile, runScore, runStep } from './workloads';

/** bench/run.ts serves node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm here. */
setWasmPaths('/tfjs-wasm/');
hookPeak();

let model: T5Model | undefined;
const log = (s: string) => console.log(`[bench] ${s}`);

export interface InitOptions {
  /** WASM: XNNPACK threads (the app's default: one per core). */
  wasmThreads?: number;
  /** WASM: force the single-threaded SIMD build (for comparison). */
  wasmNoThreads?: boolean;
}

async function init(backend: BenchBackend, options: InitOptions = {}): Promise<BackendInfo> {
  if (backend === 'wasm') {
    // The app's own setup: its kernels, and a thread per core (or as asked) when the page is isolated.
    await prepareWasm(undefined, options.wasmThreads);
    if (options.wasmNoThreads) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend failed to initialise`);
  await tf.ready();
  if (tf.getBackend() !== backend) throw new Error(`asked for ${backend}, got ${tf.getBackend()}`);
  const info: BackendInfo = { backend, crossOriginIsolated: globalThis.crossOriginIsolated === true, modelLoadMs: 0, stepImpl: '' };
  if (backend === 'wasm') {
    info.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    info.threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    info.threadsCount = getThreadsCount();
  }
  if (backend === 'webgpu') {
    const adapter = await navigator.gpu?.requestAdapter();
    const a = adapter?.info;
    if (a) info.adapter = [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ');
  }
  if (backend === 'webgl') {
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    if (gl && ext) info.adapter = String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL));
  }
  const t0 = performance.now();
  model = randomT5();
  info.modelLoadMs = performance.now() - t0;
  const probe = await makeStepper(model, { batch: 1, inputLength: 8, promptLength: 1 });
  info.stepImpl = probe.impl;
  probe.dispose();
  log(`${backend} ready: model built in ${info.modelLoadMs.toFixed(0)} ms${info.adapter ? ` (${info.adapter})` : ''}`);
  return info;
}

async function run(job: Job): Promise<JobResult> {
  if (!model) throw new Error('call init() first');
  switch (job.kind) {
    case 'step':
      return runStep(model, job, log);
    case 'score':
      return runScore(model, job, log);
    case 'leak':
      return runLeak(model, job, log);
    case 'profile':
      return runProfile(model, job);
    case 'matmul':
      return runMatMul(job);
    case 'vocabulary':
      return runVocabulary(model, job, log);
  }
}

declare global {
  interface Window {
    bench: { init: typeof init; run: typeof run };
  }
}
window.bench = { init, run };
document.title = 'bench ready';
