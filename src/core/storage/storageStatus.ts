/**
 * What the studio keeps in this browser and whether the browser may clear it: persistent storage
 * (asked for when the first run is saved), the space saved runs and cached models take, and the
 * quota. Each part is optional: browsers differ, and a private window may refuse all of it.
 */
import { openModelCache, SIZE_HEADER, type ModelCacheOptions } from '../io/cachedSource';
import type { RunRecord } from './runRecord';
import type { TrainingCheckpoint } from '../tuning/trainingReports';

export interface StorageStatus {
  /** Whether the browser promised not to clear this site's data under storage pressure. */
  persisted?: boolean;
  /** Bytes this site uses in total, and may use, as the browser estimates them. */
  usage?: number;
  quota?: number;
}

interface StorageManagerLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

const storageManager = () => (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator?.storage;

/** Ask once for persistent storage; resolves to whether it is granted (undefined: cannot ask here). */
export async function requestPersistence(storage = storageManager()): Promise<boolean | undefined> {
  try {
    if (await storage?.persisted?.()) return true;
    return await storage?.persist?.();
  } catch {
    return undefined;
  }
}

export async function storageStatus(storage = storageManager()): Promise<StorageStatus> {
  const [persisted, estimate] = await Promise.all([storage?.persisted?.().catch(() => undefined), storage?.estimate?.().catch(() => undefined)]);
  return { persisted, usage: estimate?.usage, quota: estimate?.quota };
}

/** Bytes a saved run takes: its record as stored (JSON-sized) plus its checkpoint's arrays. */
export function runBytes(run: RunRecord, checkpoint?: TrainingCheckpoint): number {
  return JSON.stringify(run).length + checkpointBytes(checkpoint);
}

/** Bytes of a checkpoint's arrays: the prompts, the optimiser state and each prompt's best (0 without one). */
export function checkpointBytes(checkpoint: TrainingCheckpoint | undefined): number {
  if (!checkpoint) return 0;
  const arrays = [...checkpoint.prompts, ...checkpoint.optimizerState.map((s) => s.values), ...checkpoint.best.flatMap((b) => (b ? [b.prompt] : []))];
  return arrays.reduce((s, a) => s + a.byteLength, 0);
}

/** Bytes of model files in the studio's download cache (from the size each entry was stored with); 0 without one. */
export async function modelCacheBytes(options: ModelCacheOptions = {}): Promise<number> {
  const cache = await openModelCache(options);
  if (!cache) return 0;
  try {
    let total = 0;
    for (const request of await cache.keys()) {
      const response = await cache.match(request.url);
      total += Number(response?.headers.get(SIZE_HEADER) ?? response?.headers.get('Content-Length') ?? 0) || 0;
    }
    return total;
  } catch {
    return 0;
  }
}
