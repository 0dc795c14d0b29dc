/**
 * Fuzzing loadT5 end to end on model folders built from the real fixtures with one or more files
 * damaged: config.json edited or mangled, the weights truncated/flipped/re-headed, files missing,
 * the relu config paired with the gated weights, tokenizer.json broken, odd weightsFile choices.
 * Every folder ends in a ModelFileError with a human message or a loaded model, and a refused
 * folder leaves no TF.js tensors behind.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../../src/core/io/modelFileError';
import type { ModelSource } from '../../src/core/io/modelSource';
import { loadT5, type LoadedT5 } from '../../src/core/model/loadT5';
import { allWeightTensors } from '../../src/core/model/t5Weights';
import {
  applyJsonEdits,
  deepJsonText,
  enc,
  expectTypedOutcomeAsync,
  fcParams,
  FuzzFailure,
  jsonEditArb,
  mutatedArb,
  printSummary,
  safetensorsBytes,
  safetensorsHeader,
  toJsonText,
} from './helpers';

const READER = 'loadT5';
const ALLOWED = [ModelFileError];

const fixture = (path: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url))));
type Folder = Record<string, Uint8Array>;
const tokenizerJson = fixture('word-tokenizer-512/tokenizer.json');
const folders: Record<'relu' | 'gated', Folder> = {
  relu: {
    'config.json': fixture('t5-tiny-relu/config.json'),
    'model.safetensors': fixture('t5-tiny-relu/model.safetensors'),
    'pytorch_model.bin': fixture('t5-tiny-relu/pytorch_model.bin'),
    'tokenizer.json': tokenizerJson,
  },
  gated: {
    'config.json': fixture('t5-tiny-gated/config.json'),
    'model.safetensors': fixture('t5-tiny-gated/model.safetensors'),
    'model.bf16.safetensors': fixture('t5-tiny-gated/model.bf16.safetensors'),
    'tokenizer.json': tokenizerJson,
  },
};
const FILES = ['config.json', 'model.safetensors', 'pytorch_model.bin', 'model.bf16.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors.index.json'] as const;

const source = (files: Folder): ModelSource => ({ description: 'fuzz folder', read: async (f) => files[f] });

const headerEnd = (b: Uint8Array) => 8 + Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));

/** One change to a folder. */
const changeArb = (base: Folder): fc.Arbitrary<(f: Folder) => void> => {
  const config = JSON.parse(new TextDecoder().decode(base['config.json']!)) as unknown;
  const weights = base['model.safetensors']!;
  const { header, data } = safetensorsHeader(weights);
  const configKeys = fc.constantFrom('num_layers', 'num_decoder_layers', 'vocab_size', 'd_model', 'd_kv', 'num_heads', 'd_ff', 'feed_forward_proj', 'tie_word_embeddings', 'relative_attention_num_buckets');
  return fc.oneof(
    // config.json: JSON edits, byte mutations, another model's config
    fc.array(jsonEditArb(configKeys), { minLength: 1, maxLength: 2 }).map((edits) => (f: Folder) => void (f['config.json'] = enc.encode(toJsonText(applyJsonEdits(config, edits))))),
    mutatedArb(base['config.json']!).map((b) => (f: Folder) => void (f['config.json'] = b)),
    fc.constantFrom(folders.relu['config.json']!, folders.gated['config.json']!).map((b) => (f: Folder) => void (f['config.json'] = b)),
    // model.safetensors: byte mutations (mostly in the header), header edits, truncation
    mutatedArb(weights, headerEnd(weights)).map((b) => (f: Folder) => void (f['model.safetensors'] = b)),
    fc.array(jsonEditArb(), { minLength: 1, maxLength: 2 }).map((edits) => (f: Folder) => void (f['model.safetensors'] = safetensorsBytes(toJsonText(applyJsonEdits(header, edits)), data))),
    // pytorch_model.bin when present (the loader falls back to it without model.safetensors)
    ...(base['pytorch_model.bin'] ? [mutatedArb(base['pytorch_model.bin'], 8000).map((b) => (f: Folder) => void (f['pytorch_model.bin'] = b))] : []),
    // tokenizer.json and tokenizer_config.json
    mutatedArb(tokenizerJson).map((b) => (f: Folder) => void (f['tokenizer.json'] = b)),
    fc.constantFrom('{}', '[]', 'null', '{"model":null}', deepJsonText(50_000), '{"a":1}').map((t) => (f: Folder) => void (f['tokenizer_config.json'] = enc.encode(t))),
    // files missing or emptied
    fc.constantFrom(...FILES).map((name) => (f: Folder) => void delete f[name]),
    fc.constantFrom(...FILES).map((name) => (f: Folder) => void (f[name] = new Uint8Array(0))),
    fc.constant((f: Folder) => void (f['model.safetensors.index.json'] = enc.encode('{"weight_map":{}}'))),
  );
};

const folderArb = fc.constantFrom('relu', 'gated').chain((name) =>
  fc.record({
    name: fc.constant(name),
    changes: fc.array(changeArb(folders[name as 'relu' | 'gated']), { minLength: 1, maxLength: 3 }),
    weightsFile: fc.option(fc.constantFrom(...FILES, 'missing.safetensors', 'x.bin'), { nil: undefined, freq: 4 }),
  }),
);

async function load(files: Folder, weightsFile?: string): Promise<void> {
  const before = tf.memory().numTensors;
  let loaded: LoadedT5 | undefined;
  const outcome = await expectTypedOutcomeAsync(() => loadT5(source(files), weightsFile ? { weightsFile } : {}), ALLOWED, {
    reader: READER,
    validate: (m) => {
      loaded = m;
      const tensors = allWeightTensors(m.model.weights);
      for (const t of tensors) if (t.dtype !== 'float32') throw new FuzzFailure(`a ${t.dtype} weight`);
      if (m.tokenizer) m.tokenizer.encode('a good movie');
    },
  });
  if (loaded) tf.dispose(allWeightTensors(loaded.model.weights));
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new FuzzFailure(`loadT5 left ${leaked} tensors behind (${outcome.kind === 'error' ? outcome.error.message : 'after a valid load'})`);
}

describe('loadT5 fuzz', () => {
  afterAll(() => printSummary(READER));

  it('the real folders load (sanity check of the harness)', async () => {
    for (const f of Object.values(folders)) await load({ ...f });
    await load({ ...folders.gated }, 'model.bf16.safetensors');
    await load({ ...folders.relu, 'model.safetensors': undefined as never }, undefined);
  });

  it('folders with damaged, missing and mismatched files', async () => {
    await fc.assert(
      fc.asyncProperty(folderArb, async ({ name, changes, weightsFile }) => {
        const files: Folder = { ...folders[name as 'relu' | 'gated'] };
        for (const change of changes) change(files);
        await load(files, weightsFile);
      }),
      fcParams(2400),
    );
  });

  it('a config asking for a billion layers or a huge vocabulary fails fast', async () => {
    const config = JSON.parse(new TextDecoder().decode(folders.relu['config.json']!)) as Record<string, unknown>;
    for (const over of [{ num_layers: 1e9 }, { num_decoder_layers: 4e9 }, { num_layers: 1000 }, { vocab_size: 2 ** 53 - 1 }, { d_model: 1e15 }, { relative_attention_num_buckets: 1e12 }]) {
      const files = { ...folders.relu, 'config.json': enc.encode(JSON.stringify({ ...config, ...over })) };
      const outcome = await expectTypedOutcomeAsync(() => loadT5(source(files)), ALLOWED, { reader: READER, maxMs: 1000 });
      expect(outcome.kind, JSON.stringify(over)).toBe('error');
    }
  });
});
