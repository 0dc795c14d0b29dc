/**
 * What the compute backend can hold, to compare a run's memory with before anything downloads:
 * WebAssembly's heap is at most 4 GiB (32-bit addresses), of which less can be used for training
 * (measured; see WASM_TENSOR_BYTES); a WebGPU adapter bounds each buffer
 * (maxBufferSize, maxStorageBufferBindingSize) but not the total, which is measured by allocating
 * buffers up to the amount needed, inside an out-of-memory error scope, and freeing them again.
 */

export interface DeviceBudget {
  backend: string;
  /** Bytes of tensors the backend can hold in all; undefined when nothing visible bounds it (the CPU backend). */
  totalBytes?: number;
  /** Bytes one tensor may take (one GPU buffer). */
  maxTensorBytes?: number;
  /** What holds the tensors, for messages: "WebAssembly's heap". */
  source: string;
}

/** wasm32 addresses 4 GiB; TF.js's WebAssembly backend grows its heap up to that. */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;
/**
 * The tensors a training run can keep in that heap without the allocator failing: measured with
 * bench/baseStep.ts on T5-base (2.37 GB of tensors at the peak trained; about 2.8 GB aborted):
 * the heap's free space fragments between the long-lived weights and each step's activations.
 */
export const WASM_TENSOR_BYTES = 2.6e9;
/** Of what a GPU held when measured, the share left for tensors (the backend's own buffers, fragmentation). */
export const GPU_HEADROOM = 0.9;

export function wasmBudget(): DeviceBudget {
  return { backend: 'wasm', totalBytes: WASM_TENSOR_BYTES, maxTensorBytes: WASM_HEAP_BYTES, source: "WebAssembly's 4 GiB heap (measured in training)" };
}

export function cpuBudget(): DeviceBudget {
  return { backend: 'cpu', source: 'the JavaScript heap, whose size the page cannot see' };
}

/** The per-buffer limits of an adapter; `measured` bytes (when a probe ran) bound the total. */
export function webgpuBudget(limits: { maxBufferSize: number; maxStorageBufferBindingSize: number }, measured?: { bytes: number; reachedTarget: boolean }): DeviceBudget {
  const maxTensorBytes = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  if (!measured) return { backend: 'webgpu', maxTensorBytes, source: 'the GPU, whose total memory is measured before a download' };
  return {
    backend: 'webgpu',
    maxTensorBytes,
    ...(measured.reachedTarget ? {} : { totalBytes: measured.bytes * GPU_HEADROOM }),
    source: measured.reachedTarget ? 'the GPU (it held all of it when measured)' : `the GPU (measured: it held ${(measured.bytes / 1e9).toFixed(1)} GB, 90% of that for tensors)`,
  };
}

/** The budget known without measuring: WebAssembly's heap, a GPU's per-buffer limits, or nothing (CPU, WebGL). */
export function budgetFor(backend: string | undefined, gpuLimits?: { maxBufferSize: number; maxStorageBufferBindingSize: number }): DeviceBudget | undefined {
  if (backend === 'wasm') return wasmBudget();
  if (backend === 'webgpu' && gpuLimits) return webgpuBudget(gpuLimits);
  if (backend === 'cpu') return cpuBudget();
  if (backend === 'webgl') return { backend, source: 'WebGL, whose memory the page cannot see' };
  return undefined;
}

/** The subset of the WebGPU API the probe uses (navigator.gpu in pages and workers). */
interface GpuLike {
  requestAdapter(): Promise<{ limits: { maxBufferSize: number; maxStorageBufferBindingSize: number }; requestDevice(d?: unknown): Promise<GpuDeviceLike> } | null>;
}
interface GpuDeviceLike {
  createBuffer(d: { size: number; usage: number }): { destroy(): void };
  pushErrorScope(filter: 'out-of-memory'): void;
  popErrorScope(): Promise<unknown>;
  destroy(): void;
}

/** STORAGE | COPY_DST, the usage of TF.js's tensor buffers. */
const STORAGE_USAGE = 0x0080 | 0x0008;
const PROBE_CHUNK = 256 * 2 ** 20;

/**
 * Allocate up to `target` bytes of storage buffers on a device of its own, then free them: how
 * much of `target` the GPU holds now. Nothing is written, so it is quick; it stops at the first failure.
 */
export async function measureWebGpu(gpu: GpuLike, target: number): Promise<{ limits: { maxBufferSize: number; maxStorageBufferBindingSize: number }; bytes: number; reachedTarget: boolean } | undefined> {
  const adapter = await gpu.requestAdapter();
  if (!adapter) return undefined;
  const limits = { maxBufferSize: adapter.limits.maxBufferSize, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize };
  const device = await adapter.requestDevice({ requiredLimits: limits });
  const buffers: Array<{ destroy(): void }> = [];
  let bytes = 0;
  try {
    const chunk = Math.min(PROBE_CHUNK, limits.maxBufferSize);
    while (bytes < target) {
      const size = Math.min(chunk, target - bytes);
      device.pushErrorScope('out-of-memory');
      const buffer = device.createBuffer({ size: Math.ceil(size / 4) * 4, usage: STORAGE_USAGE });
      if (await device.popErrorScope()) {
        buffer.destroy();
        break;
      }
      buffers.push(buffer);
      bytes += size;
    }
  } finally {
    for (const b of buffers) b.destroy();
    device.destroy();
  }
  return { limits, bytes, reachedTarget: bytes >= target };
}
