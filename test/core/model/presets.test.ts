/**
 * The model presets: parameter counts against the published figures, download sizes, source URLs;
 * and the built-in demo model in public/demo-model (written by scripts/makeDemoModel.ts): it loads,
 * its tokenizer covers the demo data, it says it is a demo, and the script reproduces it exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModelFiles, demoVocabulary } from '../../../scripts/makeDemoModel';
import { readLabeledCsv } from '../../../src/core/data/dataset';
import { urlSource } from '../../../src/core/io/modelSource';
import { nodeDirSource } from '../../../src/core/io/nodeDirSource';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import {
  DEMO_DATA_PATH,
  DEMO_VOCAB_SIZE,
  formatDownloadSize,
  formatParameters,
  MODEL_PRESETS,
  presetById,
  presetSource,
  presetTokenizerSource,
  T5_SMALL,
  T5_V1_1_SMALL,
} from '../../../src/core/model/presets';
import { parameterCount } from '../../../src/core/model/t5Weights';

const PUBLIC = fileURLToPath(new URL('../../../public/', import.meta.url));
const DEMO_DIR = path.join(PUBLIC, 'demo-model');
const preset = (id: string) => presetById(id)!;

describe('model presets', () => {
  it('offers the paper’s model first, then Flan-T5 small, T5 small and the demo', () => {
    expect(MODEL_PRESETS.map((p) => p.id)).toEqual(['t5-small-lm-adapt', 'flan-t5-small', 't5-small', 'demo']);
    expect(MODEL_PRESETS.map((p) => p.repo)).toEqual(['google/t5-small-lm-adapt', 'google/flan-t5-small', 'google-t5/t5-small', undefined]);
    for (const p of MODEL_PRESETS) {
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.description).not.toContain('\n');
      expect(p.demo).toBe(p.id === 'demo');
    }
    expect(presetById('nope')).toBeUndefined();
  });

  it('parameter counts match the published figures: t5-small 60,506,624; T5 v1.1 / Flan-T5 small 76,961,152', () => {
    expect(parameterCount(T5_SMALL)).toBe(60_506_624);
    expect(parameterCount(T5_V1_1_SMALL)).toBe(76_961_152);
    expect(preset('t5-small').parameters).toBe(60_506_624);
    expect(preset('t5-small-lm-adapt').parameters).toBe(76_961_152);
    expect(preset('flan-t5-small').parameters).toBe(76_961_152);
    expect(formatParameters(preset('t5-small').parameters)).toBe('60.5M');
    expect(formatParameters(preset('flan-t5-small').parameters)).toBe('77M');
  });

  it('download sizes are the float32 weights plus the tokenizer, "about" so many MB', () => {
    for (const id of ['t5-small-lm-adapt', 'flan-t5-small', 't5-small'] as const) {
      const p = preset(id);
      expect(p.downloadBytes).toBeGreaterThan(p.parameters * 4);
      expect(p.downloadBytes).toBeLessThan(p.parameters * 4 + 5e6);
    }
    expect(formatDownloadSize(preset('flan-t5-small').downloadBytes)).toBe('about 310 MB');
    expect(formatDownloadSize(preset('t5-small').downloadBytes)).toBe('about 245 MB');
    expect(formatDownloadSize(1_160_000)).toBe('about 1.2 MB');
    expect(formatDownloadSize(12_000)).toBe('about 12 kB');
    expect(formatDownloadSize(2_400_000_000)).toBe('about 2.4 GB');
  });

  it('the Hub presets read from the Hub; the demo from the app’s own origin', () => {
    expect(presetSource(preset('flan-t5-small'), 'http://localhost:5173')).toBe('https://huggingface.co/google/flan-t5-small/resolve/main');
    expect(presetSource(preset('t5-small'), 'http://localhost:5173')).toBe('https://huggingface.co/google-t5/t5-small/resolve/main');
    expect(presetSource(preset('demo'), 'http://localhost:5173')).toBe('http://localhost:5173/demo-model');
    expect(presetSource(preset('demo'), 'https://example.org/studio/')).toBe('https://example.org/studio/demo-model');
    // The LM-adapted repo has no tokenizer.json; it shares t5-small's SentencePiece vocabulary.
    expect(presetTokenizerSource(preset('t5-small-lm-adapt'), 'x')).toBe('https://huggingface.co/google-t5/t5-small/resolve/main');
    expect(presetTokenizerSource(preset('flan-t5-small'), 'x')).toBe(presetSource(preset('flan-t5-small'), 'x'));
  });

  it('the demo is labelled as random weights that learn nothing useful', () => {
    const demo = preset('demo');
    expect(demo.name).toBe('Demo model — random weights, for trying the app; it learns nothing useful');
    expect(demo.repo).toBeUndefined();
  });
});

describe('the demo model in public/demo-model', () => {
  const read = (file: string) => readFileSync(path.join(DEMO_DIR, file));
  const config = JSON.parse(read('config.json').toString('utf8')) as Record<string, unknown>;
  let loaded: LoadedT5;

  beforeAll(async () => {
    loaded = await loadT5(nodeDirSource(DEMO_DIR));
  });
  afterAll(() => loaded?.model.dispose());

  it('says it is a demo with random weights', () => {
    expect(config._demo).toBe('random weights generated by scripts/makeDemoModel.ts; not a trained model');
    expect(config._name_or_path).toBe('prompt-tuning-studio/demo-t5');
  });

  it('has the shape the script promises and the preset’s parameter count', () => {
    expect(loaded.weightsFile).toBe('model.safetensors');
    expect(loaded.config).toMatchObject({ dModel: 64, dKv: 16, numHeads: 4, dFf: 128, numLayers: 2, numDecoderLayers: 2, numBuckets: 32, isGated: true, activation: 'gelu_new', tieWordEmbeddings: false });
    expect(loaded.config.vocabSize).toBe(DEMO_VOCAB_SIZE);
    expect(loaded.config.vocabSize % 8).toBe(0);
    expect(loaded.config.vocabSize).toBe(Math.ceil(demoVocabulary().pieces.length / 8) * 8);
    expect(parameterCount(loaded.config)).toBe(preset('demo').parameters);
  });

  it('is about 1 MB, and the preset’s download size is within 5% of it', () => {
    const files = readdirSync(DEMO_DIR).sort();
    expect(files).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const total = files.reduce((n, f) => n + statSync(path.join(DEMO_DIR, f)).size, 0);
    expect(total).toBeLessThan(1.25e6);
    expect(Math.abs(preset('demo').downloadBytes - total) / total).toBeLessThan(0.05);
  });

  it('is exactly what scripts/makeDemoModel.ts writes (seeded: the same on every run)', () => {
    for (const [name, bytes] of Object.entries(demoModelFiles())) {
      expect(Buffer.from(bytes).equals(read(name)), `${name} differs from the script's output; rerun npx tsx scripts/makeDemoModel.ts public/demo-model`).toBe(true);
    }
  });

  it('its tokenizer encodes English without <unk>, appends </s> and decodes back', () => {
    const tok = loaded.tokenizer!;
    expect(tok).toBeDefined();
    const ids = tok.encode('This movie was great!');
    expect(ids.at(-1)).toBe(1);
    expect(ids).not.toContain(2);
    expect(ids.map((i) => tok.token(i))).toEqual(['▁This', '▁movie', '▁was', '▁great', '!', '</s>']);
    expect(tok.decode(ids)).toBe('This movie was great!');
    for (const label of ['positive', 'negative', 'neutral', 'sports', 'business']) {
      const labelIds = tok.encode(label);
      expect(labelIds).toHaveLength(2);
      expect(tok.token(labelIds[0]!)).toBe(`▁${label}`);
    }
    const odd = 'Zebra-quilt #42: €5, "café"… (100%) — ok?';
    expect(tok.encode(odd)).not.toContain(2);
    expect(tok.token(0)).toBe('<pad>');
    expect(tok.token(2)).toBe('<unk>');
    // Every id the tokenizer can produce has a row in the embeddings.
    expect(demoVocabulary().pieces.length).toBeLessThanOrEqual(loaded.config.vocabSize);
  });

  it('a forward pass gives finite logits of a sane size', async () => {
    const ids = loaded.tokenizer!.encode('The food was terrible and the service was slow.');
    const logits = tf.tidy(() => {
      const input = tf.tensor2d([ids], [1, ids.length], 'int32');
      const out = loaded.model.forward(loaded.model.embed(input), tf.ones([1, ids.length]) as tf.Tensor2D, tf.tensor2d([[0, 4, 5]], [1, 3], 'int32'));
      return out;
    });
    expect(logits.shape).toEqual([1, 3, loaded.config.vocabSize]);
    const values = await logits.data();
    logits.dispose();
    expect(Array.from(values, Number).every(Number.isFinite)).toBe(true);
    const maxAbs = Array.from(values, (v) => Math.abs(Number(v))).reduce((m, v) => Math.max(m, v), 0);
    expect(maxAbs).toBeGreaterThan(0.1);
    expect(maxAbs).toBeLessThan(50);
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
      const viaHttp = await loadT5(urlSource(presetSource(preset('demo'), origin)));
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

describe('the demo data in public/demo-data/reviews.csv', () => {
  const bytes = new Uint8Array(readFileSync(path.join(PUBLIC, DEMO_DATA_PATH)));
  const csv = readLabeledCsv(bytes);

  it('has 80 reviews, balanced positive/negative, in clean CSV (quoted commas and quotes)', () => {
    expect([csv.textColumn, csv.labelColumn]).toEqual(['text', 'label']);
    expect(csv.warnings).toEqual([]);
    expect(csv.examples).toHaveLength(80);
    expect(Object.fromEntries(csv.classCounts)).toEqual({ positive: 40, negative: 40 });
    expect(csv.examples.some((e) => e.text.includes(','))).toBe(true);
    expect(csv.examples.some((e) => e.text.includes('"'))).toBe(true);
    expect(new Set(csv.examples.map((e) => e.text)).size).toBe(80);
  });

  it('every review encodes with the demo tokenizer without <unk>', async () => {
    const loaded = await loadT5(nodeDirSource(DEMO_DIR));
    try {
      for (const e of csv.examples) expect(loaded.tokenizer!.encode(e.text), e.text).not.toContain(2);
    } finally {
      loaded.model.dispose();
    }
  });
});
