/**
 * Prepare TF.js's WebAssembly backend: where its .wasm files are served, the kernels it lacks, and
 * a thread pool as large as the machine. On a machine without a hardware GPU it is the fastest
 * backend by far (`npm run bench`: 1.5 s per T5-small step against ~19 s for WebGL and ~120 s for
 * WebGPU on a software adapter). Threads need a cross-origin isolated page (COOP/COEP headers,
 * vite.config.ts); without them it runs single-threaded with SIMD.
 */
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from './wasmKernels';

/** The backend's three builds by file name → the URL each is served at (Vite `?url` imports). */
export type WasmPaths = Partial<Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm', string>>;

/**
 * Load the backend's module (not part of the main bundle) and configure it; call before
 * tf.setBackend('wasm'). `threads` defaults to one per core (the bench asks for others).
 */
export async function prepareWasm(paths?: WasmPaths, threads?: number): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (paths && Object.keys(paths).length) wasm.setWasmPaths(paths);
  registerWasmKernels();
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const wanted = threads ?? nav?.hardwareConcurrency ?? 0;
  if (wanted >= 1 && nav && globalThis.crossOriginIsolated === true) {
    // The backend caps its pool at hardwareConcurrency / 2, assuming two hyper-threads per core;
    // on a 2-core machine that is one thread, and a second thread makes a step ~1.75x faster.
    // The cap is read when the backend starts, so report twice the wanted count until then.
    Object.defineProperty(nav, 'hardwareConcurrency', { value: wanted * 2, configurable: true });
    wasm.setThreadsCount(wanted);
  }
}

/** "SIMD, 2 threads" and the like, once the WASM backend runs. */
export async function wasmDescription(): Promise<string> {
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threaded = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  const threads = threaded ? getThreadsCount() : 1;
  const parts = [simd ? 'SIMD' : 'no SIMD', `${threads} thread${threads === 1 ? '' : 's'}`];
  // A browser says false when the page lacks the COOP/COEP headers; Node has no such flag.
  if (!threaded && globalThis.crossOriginIsolated === false) parts.push('the page is not cross-origin isolated, so no threads');
  return parts.join(', ');
}
