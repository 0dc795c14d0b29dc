/**
 * Pick the TF.js backend: WebGPU when the browser offers a working adapter, otherwise the
 * fallback, with the reason in words so the page can tell the person why.
 */
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendChoice {
  name: string;
  /** Why this backend, when it is not the first preference. */
  reason?: string;
}

async function webgpuUnavailableReason(): Promise<string | undefined> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing); use a recent Chrome or Edge';
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'WebGPU is present but no GPU adapter is available (blocklisted driver or disabled GPU)';
  } catch (e) {
    return `requesting a WebGPU adapter failed: ${(e as Error).message}`;
  }
  return undefined;
}

/** Try each backend in order; the first that initialises wins. */
export async function selectBackend(preferred: BackendName[] = ['webgpu', 'webgl', 'cpu']): Promise<BackendChoice> {
  const reasons: string[] = [];
  for (const name of preferred) {
    if (name === 'webgpu') {
      const why = await webgpuUnavailableReason();
      if (why) {
        reasons.push(why);
        continue;
      }
      await import('@tensorflow/tfjs-backend-webgpu');
    }
    if (name === 'wasm') {
      reasons.push('the WASM backend is not bundled');
      continue;
    }
    if (name === 'webgl' && typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') {
      reasons.push('WebGL needs a canvas, and none is available here');
      continue;
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { name: tf.getBackend(), reason: reasons.length ? reasons.join('; ') : undefined };
      }
      reasons.push(`the ${name} backend failed to initialise`);
    } catch (e) {
      reasons.push(`the ${name} backend failed to initialise: ${(e as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${reasons.join('; ')}`);
}
