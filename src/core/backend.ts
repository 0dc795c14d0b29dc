/**
 * Pick the fastest TF.js backend this machine offers, and say why in words so the page can tell
 * the person. A GPU through WebGPU, else a GPU through WebGL, else WebAssembly; WebGPU and WebGL on
 * a software adapter (SwiftShader, llvmpipe: what a machine without a usable GPU gets) come after
 * WebAssembly, because there they are 10–50x slower (`npm run bench`); plain JavaScript is last.
 */
import * as tf from '@tensorflow/tfjs';
import { prepareWasm, wasmDescription, type WasmPaths } from './wasmBackend';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** A backend worth measuring here (hardware WebGPU, hardware WebGL, WebAssembly) and what it runs on. */
export interface UsableBackend {
  name: BackendName;
  /** The adapter or renderer (GPUs), or the core count (WebAssembly): part of the device key (backendChoice.ts). */
  device: string;
}

export interface BackendChoice {
  name: string;
  /** Why this backend, when a faster one was skipped or failed. */
  reason?: string;
  /** What it runs on: the GPU adapter, or WASM's SIMD and thread count. */
  detail?: string;
}

export interface BackendOptions {
  /** Where the page serves the WASM backend's files; by default next to its script (or node_modules in Node). */
  wasmPaths?: WasmPaths;
  /** The backends a run may be measured on (backendChoice.ts); by default usableBackends(). Tests name their own. */
  usable?: () => Promise<UsableBackend[]>;
}

/** The machine's cores, read before prepareWasm reports twice the count to the WASM backend (wasmBackend.ts). */
const CORES = (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency;

/** Renderers that are a CPU pretending to be a GPU. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver/i;

interface Probe {
  /** Why it cannot run at all. */
  unavailable?: string;
  /** Its adapter or renderer, in words. */
  device?: string;
  software?: boolean;
}

async function probeWebGpu(): Promise<Probe> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { unavailable: 'this browser has no WebGPU (navigator.gpu is missing); use a recent Chrome or Edge' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { unavailable: 'WebGPU is present but no GPU adapter is available (blocklisted driver or disabled GPU)' };
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const device = [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') || undefined;
    return { device, software: info.isFallbackAdapter === true || SOFTWARE_RENDERER.test(device ?? '') };
  } catch (e) {
    return { unavailable: `requesting a WebGPU adapter failed: ${(e as Error).message}` };
  }
}

function probeWebGl(): Probe {
  let canvas: OffscreenCanvas | HTMLCanvasElement | undefined;
  if (typeof OffscreenCanvas !== 'undefined') canvas = new OffscreenCanvas(1, 1);
  else if (typeof document !== 'undefined') canvas = document.createElement('canvas');
  if (!canvas) return { unavailable: 'WebGL needs a canvas, and none is available here' };
  const gl = canvas.getContext('webgl2') as WebGL2RenderingContext | null;
  if (!gl) return { unavailable: 'this browser has no WebGL 2' };
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const device = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { device, software: SOFTWARE_RENDERER.test(device) };
}

async function probe(name: BackendName): Promise<Probe> {
  if (name === 'webgpu') return probeWebGpu();
  if (name === 'webgl') return probeWebGl();
  if (name === 'wasm' && typeof WebAssembly !== 'object') return { unavailable: 'this browser has no WebAssembly' };
  return {};
}

const LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'the CPU backend' };

/** Make `name` TF.js's backend (loading its code or WASM binary first); false when it cannot start. */
export async function startBackend(name: BackendName, options: BackendOptions = {}): Promise<boolean> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  // Once started, WASM keeps its paths and threads (setting them again throws).
  if (name === 'wasm' && !tf.engine().registry.wasm) await prepareWasm(options.wasmPaths);
  if (!(await tf.setBackend(name))) return false;
  await tf.ready();
  return true;
}

/**
 * The backends worth timing against each other here: WebGPU and WebGL on real GPUs, and
 * WebAssembly; each with what it runs on, which names the device (backendChoice.ts).
 */
export async function usableBackends(): Promise<UsableBackend[]> {
  const usable: UsableBackend[] = [];
  for (const name of ['webgpu', 'webgl', 'wasm'] as const) {
    const found = await probe(name);
    if (found.unavailable || found.software) continue;
    usable.push({ name, device: name === 'wasm' ? `${CORES ?? '?'} cores` : (found.device ?? 'unknown GPU') });
  }
  return usable;
}

/**
 * Start the first backend that works. With no list: the fastest first (hardware WebGPU, hardware
 * WebGL, WebAssembly, software WebGPU, software WebGL, CPU). With a list: exactly those, in order,
 * software adapters included (tests, and "resume on the CPU" after a lost GPU).
 */
export async function selectBackend(preferred?: BackendName[], options: BackendOptions = {}): Promise<BackendChoice> {
  const automatic = !preferred;
  const order: BackendName[] = preferred ?? ['webgpu', 'webgl', 'wasm', 'webgpu', 'webgl', 'cpu'];
  const reasons: string[] = [];
  const probes = new Map<BackendName, Probe>();
  const seen = new Set<BackendName>();
  for (const name of order) {
    const second = seen.has(name);
    seen.add(name);
    if (!probes.has(name)) probes.set(name, await probe(name));
    const found = probes.get(name)!;
    if (found.unavailable) {
      if (!second) reasons.push(found.unavailable);
      continue;
    }
    // First pass over the automatic order: GPUs only if they are real.
    if (automatic && !second && found.software && (name === 'webgpu' || name === 'webgl')) {
      const renderer = found.device?.match(SOFTWARE_RENDERER)?.[0] ?? 'a fallback adapter';
      reasons.push(`${LABEL[name]} runs on a software adapter here (${renderer}), far slower than WebAssembly`);
      continue;
    }
    if (automatic && second && !found.software) continue; // it already failed on the first pass
    try {
      if (await startBackend(name, options)) {
        const detail = name === 'wasm' ? await wasmDescription() : found.device;
        return { name: tf.getBackend(), reason: reasons.length ? reasons.join('; ') : undefined, detail };
      }
      reasons.push(`the ${name} backend failed to initialise`);
    } catch (e) {
      reasons.push(`the ${name} backend failed to initialise: ${(e as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${reasons.join('; ')}`);
}
