/**
 * loadT5 from every kind of ModelSource (a Node folder, a URL served by a local HTTP server,
 * File objects), its fallbacks, and each way a model folder can be wrong. Loaded weights are
 * checked against the fixture files' bytes read here directly; failures must be ModelFileErrors
 * with the right code and must leave no tensors behind.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError, type ModelFileErrorCode } from '../../../src/core/io/modelFileError';
import { fileListSource, urlSource, type DownloadProgress, type ModelSource } from '../../../src/core/io/modelSource';
import { nodeDirSource } from '../../../src/core/io/nodeDirSource';
import { parseSafetensors, writeSafetensors, type TensorToWrite } from '../../../src/core/io/safetensors';
import { loadT5, type LoadedT5, type LoadT5Options } from '../../../src/core/model/loadT5';
import { allWeightTensors } from '../../../src/core/model/t5Weights';
import { expectRejection } from '../../helpers/expectError';

type Fixture = 't5-tiny-gated' | 't5-tiny-relu';
const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const fixtureDir = (fixture: Fixture) => path.join(FIXTURES, fixture);
const fixtureFile = (fixture: Fixture, file: string) => new Uint8Array(readFileSync(path.join(FIXTURES, fixture, file)));

/** An F32 tensor read straight from a safetensors file's bytes, without the reader under test. */
function rawF32(file: Uint8Array, name: string): Float32Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  const entry = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLen)))[name] as { dtype: string; data_offsets: [number, number] };
  expect(entry.dtype).toBe('F32');
  const [begin, end] = entry.data_offsets;
  const out = new Float32Array((end - begin) / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(8 + headerLen + begin + 4 * i, true);
  return out;
}

const tensorCount = (file: Uint8Array) => parseSafetensors(file).names().length;

/** Every tensor of a fixture's model.safetensors, to edit and write back with writeSafetensors. */
function fixtureTensors(fixture: Fixture): Record<string, TensorToWrite> {
  const store = parseSafetensors(fixtureFile(fixture, 'model.safetensors'));
  return Object.fromEntries(store.names().map((n) => [n, { shape: store.info(n)!.shape, data: store.readF32(n) }]));
}

/** A folder held in memory. */
function memorySource(files: Record<string, Uint8Array | string>, description = 'memory folder'): ModelSource {
  return {
    description,
    async read(file) {
      const f = files[file];
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
  };
}

/** A fixture folder with its config.json and the given weights file. */
const folderWith = (fixture: Fixture, weights: Uint8Array, weightsFile = 'model.safetensors') =>
  memorySource({ 'config.json': fixtureFile(fixture, 'config.json'), [weightsFile]: weights });

/** Another source with some files hidden. */
function hiding(source: ModelSource, ...hidden: string[]): ModelSource {
  return { description: source.description, read: (file, options) => (hidden.includes(file) ? Promise.resolve(undefined) : source.read(file, options)) };
}

/** The model's shared embeddings (and untied head) equal the file's bytes. */
async function expectWeightsOf(loaded: LoadedT5, file: Uint8Array) {
  expect(Array.from(await loaded.model.weights.shared.data())).toEqual(Array.from(rawF32(file, 'shared.weight')));
  if (loaded.config.tieWordEmbeddings) expect(loaded.model.weights.lmHead).toBeUndefined();
  else expect(Array.from(await loaded.model.weights.lmHead!.data())).toEqual(Array.from(rawF32(file, 'lm_head.weight')));
}

/** Load, check the weights, dispose; and check the tensors created are exactly the weights, all freed again. */
async function loadCheckAndDispose(source: ModelSource, options: LoadT5Options = {}): Promise<LoadedT5> {
  const before = tf.memory().numTensors;
  const loaded = await loadT5(source, options);
  const weights = allWeightTensors(loaded.model.weights);
  expect(tf.memory().numTensors - before).toBe(weights.length);
  expect(weights.every((t) => t.dtype === 'float32' && !t.isDisposed)).toBe(true);
  loaded.model.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return loaded;
}

/** The ModelFileError a load fails with, after checking it left no tensors behind. */
async function loadError(source: ModelSource, code: ModelFileErrorCode, options: LoadT5Options = {}): Promise<ModelFileError> {
  const before = tf.memory().numTensors;
  const loading = loadT5(source, options).then((loaded) => loaded.model.dispose());
  const error = await expectRejection(loading, ModelFileError, { code });
  expect(tf.memory().numTensors).toBe(before);
  return error;
}

describe('from a folder on disk', () => {
  for (const fixture of ['t5-tiny-gated', 't5-tiny-relu'] as const) {
    it(`loads ${fixture}: config, model.safetensors, no tokenizer; frees every tensor on dispose`, async () => {
      const file = fixtureFile(fixture, 'model.safetensors');
      const before = tf.memory().numTensors;
      const loaded = await loadT5(nodeDirSource(fixtureDir(fixture)));
      try {
        expect(loaded.weightsFile).toBe('model.safetensors');
        expect(loaded.tokenizer).toBeUndefined();
        expect(loaded.config).toMatchObject(
          fixture === 't5-tiny-gated' ? { isGated: true, activation: 'gelu_new', tieWordEmbeddings: false } : { isGated: false, activation: 'relu', tieWordEmbeddings: true },
        );
        expect(loaded.model.config).toBe(loaded.config);
        // One tensor per stored parameter: nothing extra, nothing missing.
        expect(tf.memory().numTensors - before).toBe(tensorCount(file));
        expect(allWeightTensors(loaded.model.weights).length).toBe(tensorCount(file));
        expect(loaded.model.weights.encoder.blocks.length).toBe(2);
        expect(loaded.model.weights.decoder.blocks[1]!.crossAttention.o.shape).toEqual([64, 64]);
        const ff = loaded.model.weights.encoder.blocks[0]!.feedForward;
        expect(ff.wi0 !== undefined && ff.wi1 !== undefined && ff.wi === undefined).toBe(loaded.config.isGated);
        await expectWeightsOf(loaded, file);
        const norm = 'decoder.block.1.layer.2.layer_norm.weight';
        expect(Array.from(await loaded.model.weights.decoder.blocks[1]!.feedForwardNorm.data())).toEqual(Array.from(rawF32(file, norm)));
      } finally {
        loaded.model.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('falls back to pytorch_model.bin when there is no model.safetensors', async () => {
    const source = hiding(nodeDirSource(fixtureDir('t5-tiny-relu')), 'model.safetensors');
    const loaded = await loadT5(source);
    try {
      expect(loaded.weightsFile).toBe('pytorch_model.bin');
      await expectWeightsOf(loaded, fixtureFile('t5-tiny-relu', 'model.safetensors'));
    } finally {
      loaded.model.dispose();
    }
  });

  it('reads the weights file it is asked for (model.bf16.safetensors)', async () => {
    const loaded = await loadCheckAndDispose(nodeDirSource(fixtureDir('t5-tiny-gated')), { weightsFile: 'model.bf16.safetensors' });
    expect(loaded.weightsFile).toBe('model.bf16.safetensors');
  });

  it('loads when shared.weight is stored as encoder.embed_tokens.weight (or decoder.embed_tokens.weight)', async () => {
    const file = fixtureFile('t5-tiny-relu', 'model.safetensors');
    for (const alias of ['encoder.embed_tokens.weight', 'decoder.embed_tokens.weight']) {
      const { 'shared.weight': shared, ...rest } = fixtureTensors('t5-tiny-relu');
      const loaded = await loadT5(folderWith('t5-tiny-relu', writeSafetensors({ [alias]: shared!, ...rest })));
      try {
        await expectWeightsOf(loaded, file);
      } finally {
        loaded.model.dispose();
      }
    }
  });
});

describe('a wrong model folder', () => {
  it('a missing tensor is missing-tensor, naming it', async () => {
    const missing = 'encoder.block.1.layer.1.DenseReluDense.wo.weight';
    const { [missing]: _, ...rest } = fixtureTensors('t5-tiny-relu');
    const e = await loadError(folderWith('t5-tiny-relu', writeSafetensors(rest)), 'missing-tensor');
    expect(e.message).toContain(`"${missing}"`);
    expect(e.file).toBe('model.safetensors');
  });

  it('a misshapen tensor is bad-shape, naming it with both shapes', async () => {
    const tensors = fixtureTensors('t5-tiny-relu');
    tensors['shared.weight'] = { shape: [511, 64], data: tensors['shared.weight']!.data.slice(0, 511 * 64) };
    const e = await loadError(folderWith('t5-tiny-relu', writeSafetensors(tensors)), 'bad-shape');
    expect(e.message).toContain('"shared.weight"');
    expect(e.message).toContain('[511, 64]');
    expect(e.message).toContain('[512, 64]');
  });

  it('no config.json is missing-file', async () => {
    const e = await loadError(memorySource({ 'model.safetensors': fixtureFile('t5-tiny-relu', 'model.safetensors') }, 'folder nowhere'), 'missing-file');
    expect(e.file).toBe('config.json');
    expect(e.message).toContain('folder nowhere has no config.json');
  });

  it('no weights file is missing-file, naming both candidates', async () => {
    const e = await loadError(memorySource({ 'config.json': fixtureFile('t5-tiny-relu', 'config.json') }), 'missing-file');
    expect(e.message).toContain('model.safetensors or pytorch_model.bin');
  });

  it('an explicitly requested weights file that is absent is missing-file, naming it', async () => {
    const e = await loadError(nodeDirSource(fixtureDir('t5-tiny-relu')), 'missing-file', { weightsFile: 'model.bf16.safetensors' });
    expect(e.message).toContain('model.bf16.safetensors');
  });

  it('sharded weights (only an index) are unsupported-format', async () => {
    const source = memorySource({ 'config.json': fixtureFile('t5-tiny-relu', 'config.json'), 'model.safetensors.index.json': '{"weight_map": {}}' });
    const e = await loadError(source, 'unsupported-format');
    expect(e.message).toContain('sharded');
  });

  it('a config.json that is not JSON is bad-config', async () => {
    const e = await loadError(memorySource({ 'config.json': '{"d_model": 64,', 'model.safetensors': fixtureFile('t5-tiny-relu', 'model.safetensors') }), 'bad-config');
    expect(e.file).toBe('config.json');
  });

  it('a config.json of another architecture is bad-config', async () => {
    await loadError(memorySource({ 'config.json': '{"model_type": "bert"}', 'model.safetensors': fixtureFile('t5-tiny-relu', 'model.safetensors') }), 'bad-config');
  });

  it('a gated config over relu weights is missing-tensor (wi_0, wi_1, lm_head)', async () => {
    const e = await loadError(folderWith('t5-tiny-gated', fixtureFile('t5-tiny-relu', 'model.safetensors')), 'missing-tensor');
    expect(e.message).toContain('"lm_head.weight"');
    expect(e.message).toContain('DenseReluDense.wi_0.weight');
    expect(e.message).toMatch(/and \d+ more/);
  });

  it('a truncated weights file is truncated', async () => {
    const file = fixtureFile('t5-tiny-relu', 'model.safetensors');
    await loadError(folderWith('t5-tiny-relu', file.slice(0, file.length - 100)), 'truncated');
  });

  it('a tensor that fails to decode half-way through the upload frees the tensors already made', async () => {
    // Mark the last tensor uploaded (decoder.final_layer_norm) as I32: shapes still validate, decoding fails.
    const bytes = writeSafetensors(fixtureTensors('t5-tiny-relu'));
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLen));
    const key = '"decoder.final_layer_norm.weight":{"dtype":"F32"';
    expect(header).toContain(key);
    bytes.set(new TextEncoder().encode(header.replace(key, key.replace('F32', 'I32'))), 8);
    const e = await loadError(folderWith('t5-tiny-relu', bytes), 'unknown-dtype');
    expect(e.message).toContain('decoder.final_layer_norm.weight');
  });
});

describe('from File objects (a dropped folder)', () => {
  const filesOf = (fixture: Fixture, names: string[]) => names.map((n) => new File([fixtureFile(fixture, n)], n));

  it('loads t5-tiny-gated', async () => {
    const source = fileListSource(filesOf('t5-tiny-gated', ['config.json', 'model.safetensors', 'expected.json']));
    const loaded = await loadCheckAndDispose(source);
    expect(loaded.weightsFile).toBe('model.safetensors');
    expect(loaded.config.isGated).toBe(true);
  });

  it('loads t5-tiny-relu from config.json and pytorch_model.bin alone', async () => {
    const loaded = await loadT5(fileListSource(filesOf('t5-tiny-relu', ['config.json', 'pytorch_model.bin'])));
    try {
      expect(loaded.weightsFile).toBe('pytorch_model.bin');
      await expectWeightsOf(loaded, fixtureFile('t5-tiny-relu', 'model.safetensors'));
    } finally {
      loaded.model.dispose();
    }
  });

  it('without config.json is missing-file', async () => {
    await loadError(fileListSource(filesOf('t5-tiny-gated', ['model.safetensors'])), 'missing-file');
  });
});

describe('from a URL', () => {
  /**
   * Routes: /<route>/<file>. "gated" and "relu" serve the fixture folders; the others serve
   * t5-tiny-gated, or t5-tiny-relu for "relu-bin", except model.safetensors, which is:
   * relu-bin: 404 · error500: HTTP 500 · short: a Content-Length larger than the body, then the
   * connection closes · hang: part of the body, then nothing until the client goes away ·
   * gzip: every file gzip-compressed (Content-Length is the compressed size).
   */
  let server: http.Server;
  let base = '';
  const requests: string[] = [];

  const send = (res: http.ServerResponse, status: number, body: Uint8Array, headers: http.OutgoingHttpHeaders = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, ...headers });
    res.end(body);
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const [, route = '', file = ''] = new URL(req.url!, 'http://localhost').pathname.split('/');
      requests.push(`${route}/${file}`);
      const fixture: Fixture = route.startsWith('relu') ? 't5-tiny-relu' : 't5-tiny-gated';
      let body: Uint8Array;
      try {
        body = fixtureFile(fixture, file);
      } catch {
        return send(res, 404, new TextEncoder().encode('Entry not found'));
      }
      if (file === 'model.safetensors') {
        if (route === 'relu-bin') return send(res, 404, new TextEncoder().encode('Entry not found'));
        if (route === 'error500') return send(res, 500, new TextEncoder().encode('Internal Server Error'));
        if (route === 'short' || route === 'hang') {
          res.writeHead(200, { 'Content-Length': body.length });
          res.write(body.subarray(0, 64 * 1024), () => {
            if (route === 'short') res.destroy();
          });
          return;
        }
      }
      if (route === 'gzip') return send(res, 200, gzipSync(body), { 'Content-Encoding': 'gzip' });
      send(res, 200, body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('loads t5-tiny-gated, reporting the download of model.safetensors up to its full size', async () => {
    const progress: DownloadProgress[] = [];
    const loaded = await loadCheckAndDispose(urlSource(`${base}/gated/`), { onProgress: (p) => progress.push({ ...p }) });
    expect(loaded.weightsFile).toBe('model.safetensors');
    expect(loaded.tokenizer).toBeUndefined();
    const size = fixtureFile('t5-tiny-gated', 'model.safetensors').length;
    const weights = progress.filter((p) => p.file === 'model.safetensors');
    expect(weights.length).toBeGreaterThan(0);
    for (let i = 1; i < weights.length; i++) expect(weights[i]!.loaded).toBeGreaterThan(weights[i - 1]!.loaded);
    expect(weights.every((p) => p.total === size)).toBe(true);
    expect(weights.at(-1)!.loaded).toBe(size);
    const config = progress.filter((p) => p.file === 'config.json');
    expect(config.at(-1)).toEqual({ file: 'config.json', loaded: 522, total: 522 });
    expect(new Set(progress.map((p) => p.file))).toEqual(new Set(['config.json', 'model.safetensors']));
  });

  it('loads the weights it was served', async () => {
    const loaded = await loadT5(urlSource(`${base}/relu`));
    try {
      await expectWeightsOf(loaded, fixtureFile('t5-tiny-relu', 'model.safetensors'));
    } finally {
      loaded.model.dispose();
    }
  });

  it('a 404 for model.safetensors falls back to pytorch_model.bin', async () => {
    requests.length = 0;
    const loaded = await loadCheckAndDispose(urlSource(`${base}/relu-bin`));
    expect(loaded.weightsFile).toBe('pytorch_model.bin');
    expect(requests.slice(0, 3)).toEqual(['relu-bin/config.json', 'relu-bin/model.safetensors', 'relu-bin/pytorch_model.bin']);
  });

  it('an HTTP 500 is a network error naming the status', async () => {
    const e = await loadError(urlSource(`${base}/error500`), 'network');
    expect(e.message).toContain('HTTP 500');
    expect(e.file).toBe('model.safetensors');
  });

  it('a connection that closes before Content-Length bytes arrive is a ModelFileError (network)', async () => {
    const e = await loadError(urlSource(`${base}/short`), 'network');
    expect(e.file).toBe('model.safetensors');
    expect(e.message).toContain(`of ${fixtureFile('t5-tiny-gated', 'model.safetensors').length} bytes`);
  });

  it('gzip-encoded responses load (the compressed Content-Length is not the byte count)', async () => {
    const progress: DownloadProgress[] = [];
    await loadCheckAndDispose(urlSource(`${base}/gzip`), { onProgress: (p) => progress.push({ ...p }) });
    expect(progress.filter((p) => p.file === 'model.safetensors').at(-1)!.loaded).toBe(fixtureFile('t5-tiny-gated', 'model.safetensors').length);
  });

  it('an abort during the download rejects with an AbortError, not a ModelFileError', async () => {
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const error = await loadT5(urlSource(`${base}/hang`), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.file === 'model.safetensors') controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ModelFileError);
    expect((error as Error).name).toBe('AbortError');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an already aborted signal rejects with an AbortError before anything is read', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await loadT5(urlSource(`${base}/gated`), { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ModelFileError);
    expect((error as Error).name).toBe('AbortError');
  });

  it('a refused connection is a network error naming the URL', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gated`;
    await new Promise((resolve) => closed.close(resolve));
    const e = await loadError(urlSource(url), 'network');
    expect(e.message).toContain(`${url}/config.json`);
    expect(e.file).toBe('config.json');
  });
});
