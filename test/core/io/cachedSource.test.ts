/**
 * cachedSource in front of urlSource, against a local HTTP server that serves t5-tiny-relu and
 * counts the requests for each path, with an in-memory Cache: a second load makes no requests for
 * cached files; only complete downloads are kept (never an aborted, broken or missing one); a
 * cache that cannot store (quota) or read never stops the model from loading.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cachedSource,
  clearModelCache,
  modelCacheKey,
  openModelCache,
  type CacheLike,
  type CachedDownloadProgress,
  type CacheStorageLike,
  type ModelCacheError,
} from '../../../src/core/io/cachedSource';
import { ModelFileError } from '../../../src/core/io/modelFileError';
import { urlSource, type ModelSource } from '../../../src/core/io/modelSource';
import { loadT5, type LoadedT5, type LoadT5Options } from '../../../src/core/model/loadT5';
import { expectRejection } from '../../helpers/expectError';

const FIXTURE = fileURLToPath(new URL('../../fixtures/t5-tiny-relu/', import.meta.url));
const fixtureFile = (file: string) => new Uint8Array(readFileSync(path.join(FIXTURE, file)));
const CONFIG = fixtureFile('config.json');
const WEIGHTS = fixtureFile('model.safetensors');

/** The browser's Cache, in memory: entries are stored as bytes + headers and handed out as fresh Responses. */
class MemoryCache implements CacheLike {
  readonly entries = new Map<string, { body: Uint8Array; headers: [string, string][] }>();
  async match(key: string): Promise<Response | undefined> {
    const e = this.entries.get(key);
    return e && new Response(e.body.slice(), { headers: e.headers });
  }
  async put(key: string, response: Response): Promise<void> {
    this.entries.set(key, { body: new Uint8Array(await response.arrayBuffer()), headers: [...response.headers] });
  }
  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }
  urls(): string[] {
    return [...this.entries.keys()].sort();
  }
  bytes(key: string): Uint8Array | undefined {
    return this.entries.get(key)?.body;
  }
}

/** A cache that refuses every write, as a full disk does. */
class FullCache extends MemoryCache {
  override async put(): Promise<void> {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  }
}

/** Byte-for-byte equality without vitest's element-wise diff (slow on a megabyte). */
function expectSameBytes(actual: Uint8Array | undefined, expected: Uint8Array) {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual!.length).toBe(expected.length);
  expect(Buffer.from(actual!.buffer, actual!.byteOffset, actual!.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))).toBe(true);
}

/** The shared embeddings of a loaded model, disposing it. */
async function sharedOf(loaded: LoadedT5): Promise<number[]> {
  try {
    return Array.from(await loaded.model.weights.shared.data());
  } finally {
    loaded.model.dispose();
  }
}

/** The fixture's shared.weight straight from the file's bytes. */
function fileShared(): number[] {
  const view = new DataView(WEIGHTS.buffer, WEIGHTS.byteOffset, WEIGHTS.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  const entry = JSON.parse(new TextDecoder().decode(WEIGHTS.subarray(8, 8 + headerLen)))['shared.weight'] as { data_offsets: [number, number] };
  const [begin, end] = entry.data_offsets;
  return Array.from({ length: (end - begin) / 4 }, (_, i) => view.getFloat32(8 + headerLen + begin + 4 * i, true));
}

/**
 * Routes /<route>/<file>, all serving t5-tiny-relu (tokenizer.json: 404, it has none):
 * fast: the whole file at once · slow: the body in small chunks with pauses (config.json in two) ·
 * short: model.safetensors stops half-way although Content-Length promised more.
 */
let server: http.Server;
let origin = '';
const requests = new Map<string, number>();
const count = (p: string) => requests.get(p) ?? 0;
const totalRequests = () => [...requests.values()].reduce((a, b) => a + b, 0);

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const pathname = new URL(req.url!, 'http://localhost').pathname;
    requests.set(pathname, count(pathname) + 1);
    const [, route = '', file = ''] = pathname.split('/');
    let body: Uint8Array;
    try {
      body = fixtureFile(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Entry not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
    if (route === 'short' && file === 'model.safetensors') {
      res.write(body.subarray(0, body.length >> 1), () => res.destroy());
      return;
    }
    if (route !== 'slow') {
      res.end(body);
      return;
    }
    const chunk = file === 'config.json' ? Math.ceil(body.length / 2) : 32 * 1024;
    let offset = 0;
    const next = () => {
      if (res.destroyed) return;
      const piece = body.subarray(offset, offset + chunk);
      offset += piece.length;
      if (offset >= body.length) res.end(piece);
      else res.write(piece, () => setTimeout(next, 15));
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => requests.clear());

/** loadT5 through the cache; resolves to the progress seen and the shared embeddings. */
async function loadThrough(source: ModelSource, options: LoadT5Options = {}) {
  const progress: CachedDownloadProgress[] = [];
  const loaded = await loadT5(source, { ...options, onProgress: (p) => progress.push({ ...p }) });
  return { progress, shared: await sharedOf(loaded), loaded };
}

describe('a read-through cache over a URL source', () => {
  it('the first load downloads and keeps config.json and model.safetensors; the second makes no requests for them', async () => {
    const base = `${origin}/fast`;
    const cache = new MemoryCache();
    const source = cachedSource(urlSource(base), cache, base);
    expect(source.description).toBe(base);
    expect(await source.cached('model.safetensors')).toBe(false);

    const first = await loadThrough(source);
    expect(count('/fast/config.json')).toBe(1);
    expect(count('/fast/model.safetensors')).toBe(1);
    expect(count('/fast/tokenizer.json')).toBe(1);
    expect(totalRequests()).toBe(3);
    expect(first.progress.length).toBeGreaterThan(0);
    expect(first.progress.every((p) => p.fromCache === false)).toBe(true);
    const weightsProgress = first.progress.filter((p) => p.file === 'model.safetensors');
    expect(weightsProgress.at(-1)).toMatchObject({ loaded: WEIGHTS.length, total: WEIGHTS.length });
    expect(first.shared).toEqual(fileShared());

    // Stored under the file's URL; the 404 (tokenizer.json) is not stored.
    expect(cache.urls()).toEqual([`${base}/config.json`, `${base}/model.safetensors`]);
    expectSameBytes(cache.bytes(`${base}/model.safetensors`), WEIGHTS);
    expect(cache.bytes(`${base}/config.json`)).toEqual(CONFIG);
    expect(await source.cached('model.safetensors')).toBe(true);
    expect(await source.cached('tokenizer.json')).toBe(false);

    requests.clear();
    const second = await loadThrough(cachedSource(urlSource(base), cache, `${base}/`));
    expect(count('/fast/config.json')).toBe(0);
    expect(count('/fast/model.safetensors')).toBe(0);
    // A missing file is asked for again (cheap, and it may have appeared since).
    expect([...requests.keys()]).toEqual(['/fast/tokenizer.json']);
    expect(second.shared).toEqual(first.shared);
    // One final event per cached file, so progress bars complete at once, flagged as from the cache.
    expect(second.progress).toEqual([
      { file: 'config.json', loaded: CONFIG.length, total: CONFIG.length, fromCache: true },
      { file: 'model.safetensors', loaded: WEIGHTS.length, total: WEIGHTS.length, fromCache: true },
    ]);
  });

  it('a read of a cached file returns exactly the downloaded bytes', async () => {
    const base = `${origin}/fast`;
    const cache = new MemoryCache();
    const source = cachedSource(urlSource(base), cache, base);
    const downloaded = await source.read('model.safetensors');
    const again = await source.read('model.safetensors');
    expect(count('/fast/model.safetensors')).toBe(1);
    expectSameBytes(downloaded, WEIGHTS);
    expectSameBytes(again, WEIGHTS);
  });

  it('different key bases are different models in the cache', async () => {
    const cache = new MemoryCache();
    await cachedSource(urlSource(`${origin}/fast`), cache, `${origin}/fast`).read('config.json');
    await cachedSource(urlSource(`${origin}/slow`), cache, `${origin}/slow`).read('config.json');
    expect(count('/fast/config.json')).toBe(1);
    expect(count('/slow/config.json')).toBe(1);
    expect(cache.urls()).toEqual([`${origin}/fast/config.json`, `${origin}/slow/config.json`]);
  });
});

describe('only complete downloads are kept', () => {
  it('an abort at the first progress event rejects with an AbortError and leaves nothing in the cache; a later load succeeds', async () => {
    const base = `${origin}/slow`;
    const cache = new MemoryCache();
    const controller = new AbortController();
    const seen: CachedDownloadProgress[] = [];
    const before = tf.memory().numTensors;
    const error = await loadT5(cachedSource(urlSource(base), cache, base), {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push({ ...p });
        controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ModelFileError);
    expect((error as Error).name).toBe('AbortError');
    expect(seen[0]).toMatchObject({ file: 'config.json', fromCache: false });
    expect(seen[0]!.loaded).toBeLessThan(CONFIG.length);
    expect(cache.entries.size).toBe(0);
    expect(tf.memory().numTensors).toBe(before);

    requests.clear();
    const later = await loadThrough(cachedSource(urlSource(base), cache, base));
    expect(later.shared).toEqual(fileShared());
    expect(count('/slow/config.json')).toBe(1);
    expect(count('/slow/model.safetensors')).toBe(1);
    expect(cache.urls()).toEqual([`${base}/config.json`, `${base}/model.safetensors`]);
    expectSameBytes(cache.bytes(`${base}/model.safetensors`), WEIGHTS);
  });

  it('an abort half-way through model.safetensors keeps the complete config.json but not the weights', async () => {
    const base = `${origin}/slow`;
    const cache = new MemoryCache();
    const controller = new AbortController();
    const error = await loadT5(cachedSource(urlSource(base), cache, base), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.file === 'model.safetensors' && p.loaded >= WEIGHTS.length / 4) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(cache.urls()).toEqual([`${base}/config.json`]);

    requests.clear();
    const later = await loadThrough(cachedSource(urlSource(base), cache, base));
    expect(later.shared).toEqual(fileShared());
    expect(count('/slow/config.json')).toBe(0);
    expect(count('/slow/model.safetensors')).toBe(1);
    expectSameBytes(cache.bytes(`${base}/model.safetensors`), WEIGHTS);
  });

  it('a download that breaks off (fewer bytes than Content-Length) fails and is not kept', async () => {
    const base = `${origin}/short`;
    const cache = new MemoryCache();
    const error = await expectRejection(loadT5(cachedSource(urlSource(base), cache, base)), ModelFileError);
    expect(error.file).toBe('model.safetensors');
    expect(cache.urls()).toEqual([`${base}/config.json`]);
  });

  it('bytes a source returns although the read was aborted are neither used nor kept', async () => {
    const controller = new AbortController();
    const careless: ModelSource = {
      description: 'ignores aborts',
      async read(file, options) {
        options?.onProgress?.({ file, loaded: 1, total: 2 });
        return new Uint8Array([1, 2]);
      },
    };
    const cache = new MemoryCache();
    const source = cachedSource(careless, cache, 'careless');
    const error = await source.read('x.bin', { signal: controller.signal, onProgress: () => controller.abort() }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(cache.entries.size).toBe(0);
  });

  it('a read that returns fewer bytes than its progress promised is not kept', async () => {
    const partial: ModelSource = {
      description: 'partial',
      async read(file, options) {
        options?.onProgress?.({ file, loaded: 2, total: 10 });
        return new Uint8Array([1, 2]);
      },
    };
    const cache = new MemoryCache();
    expect(await cachedSource(partial, cache, 'partial').read('x.bin')).toEqual(new Uint8Array([1, 2]));
    expect(cache.entries.size).toBe(0);
  });

  it('an already aborted signal rejects before the cache or the network is touched', async () => {
    const base = `${origin}/fast`;
    const cache = new MemoryCache();
    const source = cachedSource(urlSource(base), cache, base);
    await source.read('config.json');
    requests.clear();
    const controller = new AbortController();
    controller.abort();
    const error = await source.read('config.json', { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(totalRequests()).toBe(0);
  });
});

describe('a cache that fails never stops the load', () => {
  it('storage full (QuotaExceededError on put): the model loads and onCacheError says so, once per file', async () => {
    const base = `${origin}/fast`;
    const errors: ModelCacheError[] = [];
    const cache = new FullCache();
    const loaded = await loadThrough(cachedSource(urlSource(base), cache, base, { onCacheError: (e) => errors.push(e) }));
    expect(loaded.shared).toEqual(fileShared());
    expect(cache.entries.size).toBe(0);
    expect(errors.map((e) => [e.file, e.operation, e.quotaExceeded])).toEqual([
      ['config.json', 'write', true],
      ['model.safetensors', 'write', true],
    ]);
    expect(errors[1]!.message).toContain('storage for this site is full');
    expect(errors[1]!.message).toContain('still loads');
    expect((errors[1]!.cause as DOMException).name).toBe('QuotaExceededError');

    // Nothing was kept, so the next load downloads again.
    requests.clear();
    await loadThrough(cachedSource(urlSource(base), cache, base));
    expect(count('/fast/model.safetensors')).toBe(1);
  });

  it('without onCacheError a failing put is silent and the load still succeeds', async () => {
    const base = `${origin}/fast`;
    const loaded = await loadThrough(cachedSource(urlSource(base), new FullCache(), base));
    expect(loaded.shared).toEqual(fileShared());
  });

  it('a cache that cannot be read: the files are downloaded instead and the problem reported', async () => {
    const base = `${origin}/fast`;
    const broken = new MemoryCache();
    broken.match = () => Promise.reject(new Error('disk error'));
    const errors: ModelCacheError[] = [];
    const source = cachedSource(urlSource(base), broken, base, { onCacheError: (e) => errors.push(e) });
    const loaded = await loadThrough(source);
    expect(loaded.shared).toEqual(fileShared());
    expect(count('/fast/model.safetensors')).toBe(1);
    expect(errors.map((e) => [e.file, e.operation, e.quotaExceeded])).toContainEqual(['model.safetensors', 'read', false]);
    expect(await source.cached('config.json')).toBe(false);
  });

  it('a damaged entry (fewer bytes than stored) is removed and downloaded again', async () => {
    const base = `${origin}/fast`;
    const cache = new MemoryCache();
    const source = cachedSource(urlSource(base), cache, base);
    await source.read('model.safetensors');
    const entry = cache.entries.get(`${base}/model.safetensors`)!;
    entry.body = entry.body.slice(0, 1000);
    requests.clear();
    expectSameBytes(await source.read('model.safetensors'), WEIGHTS);
    expect(count('/fast/model.safetensors')).toBe(1);
    expectSameBytes(cache.bytes(`${base}/model.safetensors`), WEIGHTS);
  });

  it('a reporter that throws does not fail the load', async () => {
    const base = `${origin}/fast`;
    const source = cachedSource(urlSource(base), new FullCache(), base, {
      onCacheError: () => {
        throw new Error('bad reporter');
      },
    });
    expect(await source.read('config.json')).toEqual(CONFIG);
  });
});

describe('cache keys, opening and clearing', () => {
  it('keys are the file URLs under a URL base, and http(s) URLs for any other name', () => {
    expect(modelCacheKey('https://huggingface.co/google/flan-t5-small/resolve/main/', 'config.json')).toBe('https://huggingface.co/google/flan-t5-small/resolve/main/config.json');
    const other = modelCacheKey('folder my model', 'model.safetensors');
    expect(other).toMatch(/^https:\/\//);
    expect(new URL(other).pathname.endsWith('/model.safetensors')).toBe(true);
    expect(modelCacheKey('folder my model', 'model.safetensors')).not.toBe(modelCacheKey('folder other', 'model.safetensors'));
  });

  it('openModelCache is undefined where Cache Storage is missing or refused', async () => {
    expect(typeof (globalThis as { caches?: unknown }).caches).toBe('undefined');
    expect(await openModelCache()).toBeUndefined();
    const refusing: CacheStorageLike = { open: () => Promise.reject(new DOMException('insecure', 'SecurityError')), delete: async () => false };
    expect(await openModelCache({ storage: refusing })).toBeUndefined();
    expect(await clearModelCache()).toBe(0);
  });

  it('clearModelCache removes one repo (any revision), one key base, or everything', async () => {
    const caches = new Map<string, MemoryCache>();
    const storage: CacheStorageLike = {
      async open(name) {
        if (!caches.has(name)) caches.set(name, new MemoryCache());
        const cache = caches.get(name)!;
        return Object.assign(cache, { keys: async () => cache.urls().map((url) => new Request(url)) });
      },
      async delete(name) {
        return caches.delete(name);
      },
    };
    const cache = (await openModelCache({ storage }))!;
    const put = (url: string) => cache.put(url, new Response('x'));
    const flan = 'https://huggingface.co/google/flan-t5-small/resolve';
    await put(`${flan}/main/config.json`);
    await put(`${flan}/abc123/config.json`);
    await put('https://huggingface.co/google/flan-t5-small-other/resolve/main/config.json');
    await put('https://huggingface.co/google-t5/t5-small/resolve/main/config.json');
    await put('http://localhost:5173/demo-model/config.json');
    await put('http://localhost:5173/demo-model/model.safetensors');

    expect(await clearModelCache('google/flan-t5-small', { storage })).toBe(2);
    expect(await clearModelCache('http://localhost:5173/demo-model/', { storage })).toBe(2);
    const left = await (await storage.open('prompt-tuning-models-v1')).keys();
    expect(left.map((r) => r.url)).toEqual([
      'https://huggingface.co/google-t5/t5-small/resolve/main/config.json',
      'https://huggingface.co/google/flan-t5-small-other/resolve/main/config.json',
    ]);
    expect(await clearModelCache(undefined, { storage })).toBe(2);
    expect(caches.has('prompt-tuning-models-v1')).toBe(false);
  });
});
