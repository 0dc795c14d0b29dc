/**
 * A read-through cache in front of any ModelSource, backed by the browser's Cache Storage (the
 * same store in the page and in a Web Worker), so a model downloaded once loads from disk the
 * next time. Only complete, successful reads are stored: an aborted, broken or truncated download
 * never lands in the cache, and neither does "no such file" (undefined). The cache is a
 * convenience: when it cannot be read or written (storage full, private mode, insecure context)
 * the model still loads from the network and the problem is reported through `onCacheError`.
 */
import type { DownloadProgress, ModelSource, ReadOptions } from './modelSource';

/** The name of the app's model cache in Cache Storage. Bump the version to drop old entries. */
export const MODEL_CACHE_NAME = 'prompt-tuning-models-v1';

/**
 * The part of the browser's `Cache` this module uses: `await caches.open(name)` is one, and tests
 * can pass an in-memory fake. Keys are absolute http(s) URLs (see modelCacheKey).
 */
export interface CacheLike {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
  delete(request: string): Promise<boolean>;
}

/** A cache that can also list its entries (what `caches.open` gives). */
export type ListableCache = CacheLike & { keys(): Promise<readonly Request[]> };

/** The part of `CacheStorage` (the global `caches`) that openModelCache and clearModelCache use. */
export interface CacheStorageLike {
  open(cacheName: string): Promise<ListableCache>;
  delete(cacheName: string): Promise<boolean>;
}

/** Progress with a flag telling whether the bytes came from the cache (true) or the inner source (false). */
export interface CachedDownloadProgress extends DownloadProgress {
  fromCache?: boolean;
}

export interface CachedReadOptions extends ReadOptions {
  onProgress?: (p: CachedDownloadProgress) => void;
}

/** A cache problem that did not stop the load; its message is a sentence for the user. */
export class ModelCacheError extends Error {
  override readonly name = 'ModelCacheError';
  constructor(
    message: string,
    /** The model file concerned. */
    readonly file: string,
    /** What failed: reading an entry, storing one, or removing a damaged one. */
    readonly operation: 'read' | 'write' | 'delete',
    /** True when the browser said its storage for this site is full (QuotaExceededError). */
    readonly quotaExceeded: boolean,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

export interface CachedSourceOptions {
  /** Called for each cache problem; the read itself goes on without the cache. */
  onCacheError?: (error: ModelCacheError) => void;
}

export interface CachedModelSource extends ModelSource {
  read(file: string, options?: CachedReadOptions): Promise<Uint8Array | undefined>;
  /** Whether the file is in the cache now (false when the cache cannot be read). */
  cached(file: string): Promise<boolean>;
}

/** Response header recording the stored byte count, to recognise an entry damaged on disk. */
export const SIZE_HEADER = 'X-Model-Bytes';

/** Keys for sources without an http(s) base (a folder name, say): Cache Storage accepts only http(s) URLs. */
const NON_URL_KEY_ROOT = 'https://model-cache.invalid/';

/** The cache key of `file` under `keyBase` (a URL base such as hubUrl(repo), or any other name). */
export function modelCacheKey(keyBase: string, file: string): string {
  const base = keyBase.replace(/\/+$/, '');
  const root = /^https?:\/\//i.test(base) ? base : `${NON_URL_KEY_ROOT}${encodeURIComponent(base)}`;
  return `${root}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

function describeCacheError(e: unknown, file: string, operation: ModelCacheError['operation']): ModelCacheError {
  const quota = (e as { name?: unknown } | null)?.name === 'QuotaExceededError';
  const detail = quota ? "the browser's storage for this site is full (free disk space or clear cached models)" : ((e as Error | null)?.message ?? String(e));
  const message =
    operation === 'write'
      ? `Could not keep ${file} for next time: ${detail}. The model still loads; it will be downloaded again next time.`
      : operation === 'read'
        ? `Could not read ${file} from the model cache (${detail}); downloading it instead.`
        : `Could not remove a damaged cached copy of ${file} (${detail}).`;
  return new ModelCacheError(message, file, operation, quota, e);
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * `inner` with a read-through cache. `keyBase` names the model in the cache: use the URL base the
 * files come from (e.g. hubUrl(repo, revision)), so different models and revisions never mix.
 */
export function cachedSource(inner: ModelSource, cache: CacheLike, keyBase: string, options: CachedSourceOptions = {}): CachedModelSource {
  const report = (e: unknown, file: string, operation: ModelCacheError['operation']) => {
    try {
      options.onCacheError?.(describeCacheError(e, file, operation));
    } catch {
      // A failing reporter must not fail the load either.
    }
  };

  /** The cached bytes, or undefined when absent, unreadable or damaged (a damaged entry is removed). */
  const lookUp = async (file: string, key: string): Promise<Uint8Array | undefined> => {
    let bytes: Uint8Array;
    let expected: number;
    try {
      const response = await cache.match(key);
      if (!response) return undefined;
      expected = Number(response.headers.get(SIZE_HEADER));
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      report(e, file, 'read');
      return undefined;
    }
    if (Number.isInteger(expected) && expected === bytes.length) return bytes;
    try {
      await cache.delete(key);
    } catch (e) {
      report(e, file, 'delete');
    }
    return undefined;
  };

  const store = async (file: string, key: string, bytes: Uint8Array) => {
    try {
      const response = new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length), [SIZE_HEADER]: String(bytes.length) },
      });
      await cache.put(key, response);
    } catch (e) {
      report(e, file, 'write');
    }
  };

  return {
    description: inner.description,

    async read(file, { onProgress, signal } = {}) {
      signal?.throwIfAborted();
      const key = modelCacheKey(keyBase, file);
      const hit = await lookUp(file, key);
      if (hit) {
        signal?.throwIfAborted();
        onProgress?.({ file, loaded: hit.length, total: hit.length, fromCache: true });
        return hit;
      }
      let lastTotal: number | undefined;
      const bytes = await inner.read(file, {
        signal,
        onProgress: (p) => {
          lastTotal = p.total;
          onProgress?.({ ...p, fromCache: false });
        },
      });
      // A source that returns despite an abort may have stopped early: neither use nor keep it.
      if (signal?.aborted) throw abortError(signal);
      if (bytes === undefined) return undefined;
      if (lastTotal === undefined || lastTotal === bytes.length) await store(file, key, bytes);
      return bytes;
    },

    async cached(file) {
      try {
        return (await cache.match(modelCacheKey(keyBase, file))) !== undefined;
      } catch {
        return false;
      }
    },
  };
}

function defaultStorage(): CacheStorageLike | undefined {
  return typeof caches === 'undefined' ? undefined : (caches as unknown as CacheStorageLike);
}

export interface ModelCacheOptions {
  /** Defaults to the global `caches`. */
  storage?: CacheStorageLike;
  /** Defaults to MODEL_CACHE_NAME. */
  cacheName?: string;
}

/**
 * The app's model cache, or undefined when Cache Storage is unavailable (an insecure context such
 * as plain http on another machine, or a browser that refuses it, e.g. some private modes): the
 * app then works without caching.
 */
export async function openModelCache(options: ModelCacheOptions = {}): Promise<ListableCache | undefined> {
  const storage = options.storage ?? defaultStorage();
  if (!storage) return undefined;
  try {
    return await storage.open(options.cacheName ?? MODEL_CACHE_NAME);
  } catch {
    return undefined;
  }
}

/**
 * Removes cached model files and resolves to how many were removed. `repo` is a Hugging Face repo
 * id ("google/flan-t5-small": every revision of it) or a key base as given to cachedSource (a URL
 * base); without it, the whole model cache is deleted.
 */
export async function clearModelCache(repo?: string, options: ModelCacheOptions = {}): Promise<number> {
  const storage = options.storage ?? defaultStorage();
  if (!storage) return 0;
  const name = options.cacheName ?? MODEL_CACHE_NAME;
  const cache = await storage.open(name);
  const keys = await cache.keys();
  if (repo === undefined) {
    await storage.delete(name);
    return keys.length;
  }
  const trimmed = repo.replace(/\/+$/, '');
  const prefix = /^https?:\/\//i.test(trimmed) || !/^[\w.-]+\/[\w.-]+$/.test(trimmed) ? modelCacheKey(trimmed, '') : `https://huggingface.co/${trimmed}/`;
  let removed = 0;
  for (const request of keys) {
    if (request.url.startsWith(prefix) && (await cache.delete(request.url))) removed++;
  }
  return removed;
}
