/**
 * cachedSource with the browser's real Cache Storage (a cache of its own, deleted at the end) in
 * front of urlSource on the Vite server's copy of t5-tiny-gated: the first load stores the files,
 * the second reads them from the cache without a request and yields the same bytes and weights.
 */
import { afterAll, expect, it } from 'vitest';
import { cachedSource, clearModelCache, modelCacheKey, openModelCache, type CachedDownloadProgress } from '../../../src/core/io/cachedSource';
import { urlSource } from '../../../src/core/io/modelSource';
import { loadT5 } from '../../../src/core/model/loadT5';

const cacheName = `prompt-tuning-test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
const base = `${location.origin}/test/fixtures/t5-tiny-gated`;

afterAll(async () => {
  await caches.delete(cacheName);
});

/** fetch that counts what reaches the network, by file name. */
function countingFetch() {
  const counts = new Map<string, number>();
  const doFetch: typeof fetch = (input, init) => {
    const file = String(input instanceof Request ? input.url : input).split('/').pop()!;
    counts.set(file, (counts.get(file) ?? 0) + 1);
    return fetch(input, init);
  };
  return { counts, doFetch };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

it('stores the first download in Cache Storage and serves the second load from it', async () => {
  const cache = await openModelCache({ cacheName });
  expect(cache).toBeDefined();
  const errors: unknown[] = [];
  const expected = {
    config: new Uint8Array(await (await fetch(`${base}/config.json`)).arrayBuffer()),
    weights: new Uint8Array(await (await fetch(`${base}/model.safetensors`)).arrayBuffer()),
  };

  // First load: from the network, stored.
  const first = countingFetch();
  const progress1: CachedDownloadProgress[] = [];
  const loaded1 = await loadT5(cachedSource(urlSource(base, { fetch: first.doFetch }), cache!, base, { onCacheError: (e) => errors.push(e) }), {
    onProgress: (p) => progress1.push({ ...p }),
  });
  const shared1 = Array.from(await loaded1.model.weights.shared.data());
  loaded1.model.dispose();
  expect(first.counts.get('config.json')).toBe(1);
  expect(first.counts.get('model.safetensors')).toBe(1);
  expect(progress1.filter((p) => p.file === 'model.safetensors').every((p) => p.fromCache === false)).toBe(true);
  expect(errors).toEqual([]);

  const stored = await caches.open(cacheName);
  const storedUrls = (await stored.keys()).map((r) => r.url).sort();
  expect(storedUrls).toEqual([modelCacheKey(base, 'config.json'), modelCacheKey(base, 'model.safetensors')]);
  const storedWeights = await stored.match(modelCacheKey(base, 'model.safetensors'));
  expect(sameBytes(new Uint8Array(await storedWeights!.arrayBuffer()), expected.weights)).toBe(true);

  // Second load: nothing fetched for the cached files; progress says fromCache; same bytes and weights.
  const second = countingFetch();
  const progress2: CachedDownloadProgress[] = [];
  const source2 = cachedSource(urlSource(base, { fetch: second.doFetch }), cache!, base);
  expect(await source2.cached('model.safetensors')).toBe(true);
  const loaded2 = await loadT5(source2, { onProgress: (p) => progress2.push({ ...p }) });
  const shared2 = Array.from(await loaded2.model.weights.shared.data());
  loaded2.model.dispose();
  expect(second.counts.get('config.json')).toBeUndefined();
  expect(second.counts.get('model.safetensors')).toBeUndefined();
  expect(progress2).toEqual([
    { file: 'config.json', loaded: expected.config.length, total: expected.config.length, fromCache: true },
    { file: 'model.safetensors', loaded: expected.weights.length, total: expected.weights.length, fromCache: true },
  ]);
  expect(shared2).toEqual(shared1);

  const again = await source2.read('model.safetensors');
  expect(sameBytes(again!, expected.weights)).toBe(true);
  expect(sameBytes((await source2.read('config.json'))!, expected.config)).toBe(true);
  expect(second.counts.get('model.safetensors')).toBeUndefined();

  // Clearing this model's entries empties the cache again.
  expect(await clearModelCache(base, { cacheName })).toBe(2);
  expect(await source2.cached('model.safetensors')).toBe(false);
});
