/**
 * Fuzzing the prompt importers: readPromptFile (our *.prompt.safetensors), readPeftAdapter
 * (adapter_model.safetensors + adapter_config.json), readPeftZip and the importPrompt dispatcher.
 * Inputs: mutated real prompt files, NaN/Inf written into the values, edited headers and metadata,
 * random and deeply nested adapter configs, zips with rewritten directories, random file lists.
 * Every input ends in a PromptFileError with a human message or a finite prompt of the stated shape.
 */
import { strToU8, zipSync } from 'fflate';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../src/core/io/safetensors';
import { exportPeftZip, importPrompt, readPeftAdapter, readPeftZip } from '../../src/core/promptFile/peftAdapter';
import { readPromptFile, writePromptFile } from '../../src/core/promptFile/promptFile';
import { PromptFileError } from '../../src/core/promptFile/promptFileError';
import type { SoftPromptFile } from '../../src/core/promptFile/softPrompt';
import {
  applyJsonEdits,
  deepJsonText,
  enc,
  expectTypedOutcome,
  fcParams,
  FuzzFailure,
  jsonEditArb,
  jsonValueArb,
  materialize,
  mutatedArb,
  printSummary,
  safetensorsBytes,
  safetensorsHeader,
  toJsonText,
} from './helpers';
import { peftConfig as peftAdapterConfig } from '../helpers/peftConfig';
import { directoryRegion, operate, withZip64Count, zipSurgeryArb } from './zipTools';

const PROMPT = 'prompt file';
const PEFT = 'PEFT adapter';
const ZIP = 'PEFT zip';
const IMPORT = 'importPrompt';
const ALLOWED = [PromptFileError];

function checkPrompt(f: SoftPromptFile): void {
  const { length, width, values } = f.prompt;
  if (!(Number.isSafeInteger(length) && length > 0 && Number.isSafeInteger(width) && width > 0)) throw new FuzzFailure(`prompt shape ${length} × ${width}`);
  if (!(values instanceof Float32Array) || values.length !== length * width) throw new FuzzFailure(`${values.length} values for ${length} × ${width}`);
  for (const v of values) if (!Number.isFinite(v)) throw new FuzzFailure('a non-finite value in an accepted prompt');
  const m = f.metadata;
  if (m.dModel !== width) throw new FuzzFailure(`metadata dModel ${m.dModel} ≠ width ${width}`);
  if (m.labels !== undefined && !(Array.isArray(m.labels) && m.labels.every((l) => typeof l === 'string'))) throw new FuzzFailure('labels are not strings');
  if (m.steps !== undefined && !(Number.isSafeInteger(m.steps) && m.steps >= 0)) throw new FuzzFailure(`steps ${m.steps}`);
  if (m.validation !== undefined) for (const v of Object.values(m.validation)) if (typeof v !== 'number') throw new FuzzFailure('a non-number validation metric');
  for (const key of ['baseModel', 'template', 'init', 'created'] as const) if (m[key] !== undefined && typeof m[key] !== 'string') throw new FuzzFailure(`${key} is not a string`);
  if (!f.notes.every((n) => typeof n === 'string' && n.length > 0)) throw new FuzzFailure('an empty note');
}

const run = (reader: string, fn: () => SoftPromptFile) => expectTypedOutcome(fn, ALLOWED, { reader, validate: checkPrompt });

// ---- bases ----

const promptArb = fc.record({ length: fc.integer({ min: 1, max: 4 }), width: fc.integer({ min: 1, max: 6 }) }).chain(({ length, width }) =>
  fc.record({
    length: fc.constant(length),
    width: fc.constant(width),
    values: fc.float32Array({ minLength: length * width, maxLength: length * width, noNaN: true, noDefaultInfinity: true }),
  }),
);
const metadataArb = fc.record(
  {
    baseModel: fc.string({ maxLength: 10 }),
    labels: fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
    template: fc.string({ maxLength: 10 }),
    init: fc.constantFrom('random', 'vocab', 'labels'),
    steps: fc.nat({ max: 10_000 }),
    validation: fc.dictionary(fc.constantFrom('accuracy', 'loss'), fc.double({ noNaN: true, noDefaultInfinity: true }), { maxKeys: 2 }),
    created: fc.constant('2024-01-02T03:04:05.000Z'),
  },
  { requiredKeys: [] },
);
const promptFileArb = fc.tuple(promptArb, metadataArb).map(([p, m]) => writePromptFile(p, m));
const fixedPromptFile = writePromptFile(
  { length: 3, width: 4, values: Float32Array.from({ length: 12 }, (_, i) => i / 7 - 0.5) },
  { baseModel: 'google/t5-v1_1-small', labels: ['yes', 'no'], template: 'q: {text}', init: 'vocab', steps: 10, validation: { accuracy: 1 }, created: '2024-01-02T03:04:05.000Z' },
);

/** PEFT's config for a 3 × 4 prompt unless told otherwise. */
const peftConfig = (tokens = 3, width = 4, over: Record<string, unknown> = {}) => peftAdapterConfig(tokens, width, over);
const peftWeights = (rows: number, width: number) => writeSafetensors({ prompt_embeddings: { shape: [rows, width], data: new Float32Array(rows * width).map((_, i) => i / 10) } }, { format: 'pt' });
const fixedZip = exportPeftZip({ length: 3, width: 4, values: new Float32Array(12).fill(0.5) }, { baseModel: 't5-small' });

/** Special float bit patterns, as little-endian bytes of each stored width. */
const specialBytes = fc.constantFrom(
  [0x00, 0x00, 0xc0, 0x7f], [0x00, 0x00, 0x80, 0x7f], [0x00, 0x00, 0x80, 0xff], [0x01, 0x00, 0x80, 0x7f], [0xff, 0xff, 0xff, 0xff], // f32 NaN, +Inf, -Inf, sNaN, -NaN
  [0x00, 0x7c], [0x00, 0xfc], [0x01, 0x7e], // f16 Inf, -Inf, NaN
  [0x80, 0x7f], [0xc0, 0x7f], // bf16 Inf, NaN
  [0, 0, 0, 0, 0, 0, 0xf0, 0x7f], [0, 0, 0, 0, 0, 0, 0xf8, 0x7f], [0, 0, 0, 0xe0, 0xff, 0xff, 0xef, 0x47], // f64 Inf, NaN, 3.4e38 (overflows f32)
).map((b) => new Uint8Array(b));

describe('prompt import fuzz', () => {
  afterAll(() => printSummary(PROMPT, PEFT, ZIP, IMPORT));

  it('readPromptFile on mutated prompt files (mostly the header)', () => {
    const headerEnd = (b: Uint8Array) => 8 + Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
    fc.assert(fc.property(mutatedArb(fixedPromptFile, headerEnd(fixedPromptFile)), (bytes) => void run(PROMPT, () => readPromptFile(bytes, 'x.prompt.safetensors'))), fcParams(3000));
    fc.assert(
      fc.property(promptFileArb.chain((b) => mutatedArb(b, headerEnd(b))), (bytes) => void run(PROMPT, () => readPromptFile(bytes))),
      fcParams(2000),
    );
  });

  it('NaN and Infinity written into the values, in every dtype', () => {
    const { header, data } = safetensorsHeader(fixedPromptFile);
    fc.assert(
      fc.property(fc.constantFrom('F32', 'F16', 'BF16', 'F64'), fc.array(fc.tuple(fc.nat(), specialBytes), { minLength: 1, maxLength: 3 }), (dtype, writes) => {
        const bytesPer = { F32: 4, F16: 2, BF16: 2, F64: 8 }[dtype];
        const size = 12 * bytesPer;
        const values = new Uint8Array(size);
        values.set(data.subarray(0, Math.min(size, data.length)));
        for (const [at, special] of writes) {
          const pos = (at % (size / bytesPer)) * bytesPer;
          values.set(special.subarray(0, Math.min(special.length, size - pos)), pos);
        }
        const h = { ...header, prompt_embeddings: { dtype, shape: [3, 4], data_offsets: [0, size] } };
        const bytes = safetensorsBytes(JSON.stringify(h), values);
        run(PROMPT, () => readPromptFile(bytes));
      }),
      fcParams(2400),
    );
  });

  it('edited headers and metadata (shapes, dtypes, d_model, labels, steps, validation, nesting)', () => {
    const { header, data } = safetensorsHeader(fixedPromptFile);
    const metaKeys = fc.constantFrom('d_model', 'labels', 'steps', 'validation', 'template', 'format', 'created', 'base_model', '__proto__');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(jsonEditArb(metaKeys), { minLength: 1, maxLength: 3 }).map((edits) => toJsonText(applyJsonEdits(header, edits))),
          fc.tuple(metaKeys, fc.oneof(fc.string({ maxLength: 10 }), jsonValueArb.map(toJsonText))).map(([k, v]) =>
            JSON.stringify({ ...header, __metadata__: { ...(header.__metadata__ as object), [k]: v } }),
          ),
        ),
        (text) => void run(PROMPT, () => readPromptFile(safetensorsBytes(text, data))),
      ),
      fcParams(3600),
    );
  });

  it('1 MB metadata values, tensor names and config strings give short messages', () => {
    const big = 'x'.repeat(1024 * 1024);
    const { header, data } = safetensorsHeader(fixedPromptFile);
    const meta = header.__metadata__ as Record<string, string>;
    for (const [key, value] of [['d_model', big], ['labels', big], ['steps', big], ['validation', big], ['template', big], ['d_model', `[${'1,'.repeat(300_000)}1]`]]) {
      run(PROMPT, () => readPromptFile(safetensorsBytes(JSON.stringify({ ...header, __metadata__: { ...meta, [key!]: value } }), data)));
    }
    const { prompt_embeddings: entry, ...rest } = header;
    run(PROMPT, () => readPromptFile(safetensorsBytes(JSON.stringify({ ...rest, [big]: entry }), data)));
    for (const key of ['peft_type', 'task_type', 'num_virtual_tokens']) run(PEFT, () => readPeftAdapter(peftWeights(3, 4), { ...peftConfig(), [key]: big }));
  });

  it('readPeftAdapter with edited and random adapter configs (object, bytes, text)', () => {
    const configKeys = fc.constantFrom('peft_type', 'num_virtual_tokens', 'token_dim', 'num_transformer_submodules', 'task_type', 'base_model_name_or_path', 'prompt_tuning_init');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(1, 2),
        fc.oneof(
          { arbitrary: fc.array(jsonEditArb(configKeys), { minLength: 1, maxLength: 3 }).map((e) => ({ edits: e, whole: undefined as unknown })), weight: 4 },
          { arbitrary: jsonValueArb.map((v) => ({ edits: [], whole: v })), weight: 1 },
        ),
        fc.constantFrom('object', 'bytes', 'text'),
        (tokens, width, sub, { edits, whole }, form) => {
          const config = whole !== undefined ? whole : applyJsonEdits(peftConfig(tokens, width, { num_transformer_submodules: sub }), edits);
          const arg = form === 'object' ? materialize(config) : form === 'bytes' ? enc.encode(toJsonText(config)) : toJsonText(config);
          run(PEFT, () => readPeftAdapter(peftWeights(tokens * sub, width), arg));
        },
      ),
      fcParams(4000),
    );
  });

  it('readPeftAdapter with deeply nested configs (100k levels) in every field', () => {
    for (const deep of [deepJsonText(100_000), deepJsonText(100_000, true)]) {
      run(PEFT, () => readPeftAdapter(peftWeights(3, 4), deep));
      for (const key of ['peft_type', 'num_virtual_tokens', 'token_dim', 'num_transformer_submodules', 'task_type', 'base_model_name_or_path']) {
        const text = JSON.stringify({ ...peftConfig(), [key]: 0 }).replace(`"${key}":0`, `"${key}":${deep}`);
        run(PEFT, () => readPeftAdapter(peftWeights(3, 4), text));
        run(PEFT, () => readPeftAdapter(peftWeights(3, 4), JSON.parse(text)));
      }
    }
  });

  it('readPeftZip on mutated zips and rewritten zip directories', () => {
    fc.assert(fc.property(mutatedArb(fixedZip, [[0, 200], directoryRegion(fixedZip)]), (bytes) => void run(ZIP, () => readPeftZip(bytes, 'a.zip'))), fcParams(2400));
    fc.assert(
      fc.property(fc.array(zipSurgeryArb, { minLength: 1, maxLength: 2 }), (surgeries) => void run(ZIP, () => readPeftZip(surgeries.reduce(operate, fixedZip), 'a.zip'))),
      fcParams(1200),
    );
  });

  it('readPeftZip on generated zips (several adapters, nested folders, __MACOSX, stored/deflated)', () => {
    const entryName = fc.oneof(
      fc.constantFrom('adapter_model.safetensors', 'adapter_config.json', 'ADAPTER_CONFIG.JSON', 'a/adapter_model.safetensors', 'a/adapter_config.json', 'b/adapter_config.json', '__MACOSX/adapter_config.json', 'README.md'),
      fc.string({ maxLength: 8 }),
    );
    const entryData = fc.oneof(
      fc.constant(peftWeights(3, 4)),
      fc.constant(strToU8(JSON.stringify(peftConfig()))),
      fc.constant(strToU8(deepJsonText(50_000))),
      promptFileArb,
      fc.uint8Array({ maxLength: 64 }),
    );
    fc.assert(
      fc.property(fc.dictionary(entryName, entryData, { maxKeys: 4 }), fc.constantFrom<0 | 6>(0, 6), (files, level) => {
        run(ZIP, () => readPeftZip(zipSync(files, { level }), 'gen.zip'));
      }),
      fcParams(2000),
    );
  });

  it('a zip64 directory claiming billions of entries ends quickly in a PromptFileError', () => {
    for (const count of [0xffffffff, 100_000_000]) {
      const outcome = run(ZIP, () => readPeftZip(withZip64Count(fixedZip, count), 'bomb.zip'));
      expect(outcome.kind).toBe('error');
    }
  });

  it('a deflated entry declaring 4 GB is refused before allocating', () => {
    const zip = zipSync({ 'adapter_model.safetensors': peftWeights(3, 4), 'adapter_config.json': strToU8(JSON.stringify(peftConfig())) }, { level: 6 });
    for (const [compressed, original] of [[0xffffffff, 0xffffffff], [0x7fffffff, 0xfffffffe], [64, 0xffffffff]] as const) {
      for (const record of [0, 1]) {
        const bytes = operate(zip, { kind: 'sizes', record, compressed, original });
        const before = process.memoryUsage().arrayBuffers;
        run(ZIP, () => readPeftZip(bytes, 'big.zip'));
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
      }
    }
  });

  it('importPrompt on random lists of named files', () => {
    const name = fc.constantFrom(
      'x.prompt.safetensors', 'X.PROMPT.SAFETENSORS', 'x.prompt (1).safetensors', 'adapter_model.safetensors', 'adapter_config.json', 'dir/adapter_config.json',
      'adapter_model.bin', 'a.zip', 'download', 'notes.txt', '',
    );
    const bytes = fc.oneof(
      fc.constant(fixedPromptFile),
      promptFileArb,
      mutatedArb(fixedPromptFile, 200),
      fc.constant(peftWeights(3, 4)),
      fc.constant(strToU8(JSON.stringify(peftConfig()))),
      fc.constant(fixedZip),
      mutatedArb(fixedZip, 200),
      fc.uint8Array({ maxLength: 32 }),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ name, bytes }), { maxLength: 3 }), (files) => void run(IMPORT, () => importPrompt(files))),
      fcParams(4000),
    );
  });
});
