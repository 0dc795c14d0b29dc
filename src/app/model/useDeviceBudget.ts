/** The backend's memory budget as the page can know it: WebAssembly's heap, or the GPU adapter's buffer limits. */
import { useEffect, useState } from 'react';
import type { DeviceBudget } from '../../core/model/deviceBudget';
import { staticBudget } from './modelMemory';

type Limits = { maxBufferSize: number; maxStorageBufferBindingSize: number };

export function useDeviceBudget(backend: string | undefined): DeviceBudget | undefined {
  const [limits, setLimits] = useState<Limits>();
  useEffect(() => {
    if (backend !== 'webgpu' || typeof navigator === 'undefined' || !('gpu' in navigator)) return;
    let live = true;
    void navigator.gpu.requestAdapter().then((adapter) => {
      if (live && adapter) setLimits({ maxBufferSize: adapter.limits.maxBufferSize, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize });
    });
    return () => {
      live = false;
    };
  }, [backend]);
  return staticBudget(backend, limits);
}
