/**
 * The storage line's numbers: persistence asked and reported, the browser's estimate, and the
 * bytes of cached models summed from the size each entry was stored with (in-memory Cache Storage).
 */
import { describe, expect, it } from 'vitest';
import { clearModelCache, MODEL_CACHE_NAME, SIZE_HEADER, type CacheStorageLike, type ListableCache } from '../../../src/core/io/cachedSource';
import { modelCacheBytes, requestPersistence, storageStatus } from '../../../src/core/storage/storageStatus';

/** Cache Storage in memory: named caches of URL → Response. */
function memoryCaches() {
  const caches = new Map<string, Map<string, Response>>();
  const opened: string[] = [];
  const storage: CacheStorageLike = {
    async open(name) {
      opened.push(name);
      if (!caches.has(name)) caches.set(name, new Map());
      const entries = caches.get(name)!;
      const cache: ListableCache = {
        match: async (url) => entries.get(url)?.clone(),
        put: async (url, response) => void entries.set(url, response),
        delete: async (url) => entries.delete(url),
        keys: async () => [...entries.keys()].map((url) => new Request(url)),
      };
      return cache;
    },
    delete: async (name) => caches.delete(name),
  };
  return { storage, opened };
}

describe('modelCacheBytes', () => {
  it('sums the stored sizes of the model cache (the header, else Content-Length), and 0 once deleted', async () => {
    const { storage, opened } = memoryCaches();
    const cache = await storage.open(MODEL_CACHE_NAME);
    await cache.put('https://huggingface.co/google/flan-t5-small/resolve/main/model.safetensors', new Response('x', { headers: { [SIZE_HEADER]: '307867048' } }));
    await cache.put('https://huggingface.co/google/flan-t5-small/resolve/main/config.json', new Response('x', { headers: { 'Content-Length': '1206' } }));
    await cache.put('http://localhost:5173/demo-model/tokenizer.json', new Response('x'));
    // Another cache of the same origin is not the model cache.
    await (await storage.open('other')).put('https://example.com/big', new Response('x', { headers: { [SIZE_HEADER]: '999999999' } }));

    expect(await modelCacheBytes({ storage })).toBe(307867048 + 1206);
    expect(opened.at(-1)).toBe(MODEL_CACHE_NAME);
    expect(await clearModelCache(undefined, { storage })).toBe(3);
    expect(await modelCacheBytes({ storage })).toBe(0);
  });

  it('is 0 where Cache Storage is missing or refused', async () => {
    expect(await modelCacheBytes()).toBe(0); // Node has no global caches
    const refusing: CacheStorageLike = { open: () => Promise.reject(new DOMException('insecure', 'SecurityError')), delete: async () => false };
    expect(await modelCacheBytes({ storage: refusing })).toBe(0);
  });
});

describe('persistence and the estimate', () => {
  it('asks only when not yet persisted, and says whether it was granted', async () => {
    let asked = 0;
    const granting = { persisted: async () => false, persist: async () => (asked++, true), estimate: async () => ({ usage: 1_500_000, quota: 60_000_000_000 }) };
    expect(await requestPersistence(granting)).toBe(true);
    expect(asked).toBe(1);
    expect(await requestPersistence({ ...granting, persisted: async () => true })).toBe(true);
    expect(asked).toBe(1);
    expect(await requestPersistence({ persisted: async () => false, persist: async () => false })).toBe(false);
    expect(await storageStatus(granting)).toEqual({ persisted: false, usage: 1_500_000, quota: 60_000_000_000 });
  });

  it('reports nothing rather than failing where the browser refuses (a private window)', async () => {
    const refusing = { persisted: () => Promise.reject(new Error('no')), persist: () => Promise.reject(new Error('no')), estimate: () => Promise.reject(new Error('no')) };
    expect(await requestPersistence(refusing)).toBeUndefined();
    expect(await storageStatus(refusing)).toEqual({ persisted: undefined, usage: undefined, quota: undefined });
    expect(await storageStatus(undefined)).toEqual({ persisted: undefined, usage: undefined, quota: undefined });
  });
});
