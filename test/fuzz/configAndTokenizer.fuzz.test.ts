/**
 * Fuzzing config.json (parseT5Config, and readJson for the bytes) and tokenizer.json
 * (T5Tokenizer.fromJson, then encode/decode/token on what it accepts): JSON edits of the real
 * files, random JSON values and text, invalid UTF-8, deeply nested JSON, and small tokenizers of
 * every model kind with their components swapped for random ones. Every input ends in a
 * ModelFileError with a human message or a usable config / tokenizer.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../../src/core/io/modelFileError';
import type { ModelSource } from '../../src/core/io/modelSource';
import { readJson } from '../../src/core/model/loadT5';
import { parseT5Config, type T5Config } from '../../src/core/model/t5Config';
import { T5Tokenizer } from '../../src/core/tokenizer/t5Tokenizer';
import {
  applyJsonEdits,
  concat,
  deepJsonText,
  enc,
  expectTypedOutcome,
  expectTypedOutcomeAsync,
  fcParams,
  FuzzFailure,
  invalidUtf8Arb,
  jsonEditArb,
  jsonValueArb,
  materialize,
  mutatedArb,
  printSummary,
  toJsonText,
} from './helpers';

const CONFIG = 'config.json';
const TOKENIZER = 'tokenizer.json';
const USE = 'tokenizer encode/decode';
const ALLOWED = [ModelFileError];

const readFixture = (path: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), 'utf8');
const configs = [JSON.parse(readFixture('t5-tiny-relu/config.json')), JSON.parse(readFixture('t5-tiny-gated/config.json'))] as Record<string, unknown>[];
const wordTokenizer = JSON.parse(readFixture('word-tokenizer-512/tokenizer.json')) as Record<string, unknown>;

/** The stock T5 SentencePiece tokenizer beside the checkout, when there (the core tests use it too). */
const sharedDir = process.env.SHARED_DIR ?? fileURLToPath(new URL('../../../shared/', import.meta.url));
const t5TokenizerPath = `${sharedDir}/t5-tokenizer/tokenizer.json`;
const t5Tokenizer = existsSync(t5TokenizerPath) ? (JSON.parse(readFileSync(t5TokenizerPath, 'utf8')) as Record<string, unknown>) : undefined;

/** A ModelSource over in-memory files. */
const memorySource = (files: Record<string, Uint8Array>): ModelSource => ({ description: 'fuzz files', read: async (f) => files[f] });

function checkConfig(c: T5Config): void {
  for (const key of ['vocabSize', 'dModel', 'dKv', 'numHeads', 'dFf', 'numLayers', 'numDecoderLayers', 'numBuckets'] as const) {
    if (!Number.isSafeInteger(c[key]) || c[key] <= 0) throw new FuzzFailure(`config ${key} = ${c[key]} is not a positive safe integer`);
  }
  for (const key of ['maxDistance', 'padTokenId', 'eosTokenId', 'decoderStartTokenId'] as const) {
    if (!Number.isSafeInteger(c[key]) || c[key] < 0) throw new FuzzFailure(`config ${key} = ${c[key]} is not a non-negative safe integer`);
  }
  if (!Number.isFinite(c.layerNormEps) || !Number.isFinite(c.dropoutRate)) throw new FuzzFailure('a non-finite float in the config');
  // loadT5 lists 9+ parameter names per layer before reading any weight: a billion layers would hang it.
  if (c.numLayers + c.numDecoderLayers > 10_000) throw new FuzzFailure(`config accepted ${c.numLayers} + ${c.numDecoderLayers} layers`);
  if (!['relu', 'gelu', 'gelu_new'].includes(c.activation)) throw new FuzzFailure(`activation ${c.activation}`);
}

const config = (json: unknown) => expectTypedOutcome(() => parseT5Config(json), ALLOWED, { reader: CONFIG, validate: checkConfig });

/** Text for encode: ordinary words, the vocabulary's own pieces, odd Unicode, long runs. */
const textArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom('the', 'good', 'movie', '<unk>', '</s>', '<pad>', '<extra_id_0>', '▁', '∅', ' ', '\u0000', '\ud800', '😀', 'é', 'ﬁ', '\t\n'), { maxLength: 20 }).map((w) => w.join(' ')),
  fc.constantFrom('a'.repeat(4_000), 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', '1234567890'.repeat(100), ' '.repeat(5000)),
);
const idsArb = fc.array(fc.oneof(fc.integer({ min: -2, max: 600 }), fc.constantFrom(32099, 1e9, 2 ** 31, -1, 0.5, NaN)), { maxLength: 12 });

function useTokenizer(tok: T5Tokenizer, texts: string[], ids: number[]): void {
  for (const text of texts) {
    expectTypedOutcome(() => tok.encode(text), ALLOWED, {
      reader: USE,
      validate: (out) => {
        if (!Array.isArray(out) || !out.every((id) => Number.isInteger(id) && id >= 0)) throw new FuzzFailure(`encode(${JSON.stringify(text.slice(0, 40))}) gave ${JSON.stringify(out).slice(0, 200)}`);
      },
    });
  }
  // decode takes what the model produced: a non-empty list of ids (in or out of the vocabulary).
  const valid = ids.filter((id) => Number.isSafeInteger(id) && id >= 0);
  if (valid.length > 0) {
    expectTypedOutcome(() => tok.decode(valid), ALLOWED, { reader: USE });
    expectTypedOutcome(() => tok.decode(valid, false), ALLOWED, { reader: USE });
  }
  for (const id of valid.slice(0, 3)) expectTypedOutcome(() => tok.token(id), ALLOWED, { reader: USE });
}

function tokenizer(json: unknown, tokenizerConfig: unknown, texts: string[], ids: number[]): void {
  const outcome = expectTypedOutcome(() => T5Tokenizer.fromJson(json, tokenizerConfig), ALLOWED, { reader: TOKENIZER });
  if (outcome.kind === 'valid') useTokenizer(outcome.value, texts, ids);
}

// ---- small tokenizers of each model kind, to swap components into ----

const special = ['<pad>', '</s>', '<unk>'].map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
const words = ['<pad>', '</s>', '<unk>', '▁the', '▁good', '▁movie', 'the', 'good', 'movie', 'a', 'b', '▁', 'e', 'th'];
const vocab = Object.fromEntries(words.map((w, i) => [w, i]));
const zoo: Record<string, unknown>[] = [
  wordTokenizer,
  {
    version: '1.0', added_tokens: special, normalizer: { type: 'NFKC' }, pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: null, decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 2, vocab: words.map((w, i) => [w, i < 3 ? 0 : -i]), byte_fallback: false },
  },
  {
    version: '1.0', added_tokens: special, normalizer: { type: 'Sequence', normalizers: [{ type: 'Lowercase' }, { type: 'Strip', strip_left: true, strip_right: true }] },
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true }, post_processor: { type: 'ByteLevel', trim_offsets: true }, decoder: { type: 'ByteLevel' },
    model: { type: 'BPE', vocab, merges: ['t h', 'th e'], unk_token: '<unk>', dropout: null, fuse_unk: false, byte_fallback: false },
  },
  {
    version: '1.0', added_tokens: special, normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'Split', pattern: { Regex: '\\s+' }, behavior: 'Removed', invert: false }, post_processor: null, decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', vocab, unk_token: '<unk>', continuing_subword_prefix: '##', max_input_chars_per_word: 100 },
  },
];

/** Component-shaped values to drop into a tokenizer: real types with odd fields, unknown types, hostile regexes. */
const componentArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    type: fc.constantFrom('BertNormalizer', 'Precompiled', 'Sequence', 'Replace', 'NFC', 'NFKD', 'Strip', 'Lowercase', 'Prepend', 'Whitespace', 'WhitespaceSplit', 'Metaspace', 'ByteLevel', 'Split', 'Punctuation', 'Digits', 'FixedLength', 'TemplateProcessing', 'BertProcessing', 'RobertaProcessing', 'WordPiece', 'BPEDecoder', 'CTC', 'Fuse', 'ByteFallback', 'Unigram', 'BPE', 'WordLevel', 'Nope', ''),
    pattern: fc.oneof(fc.record({ String: fc.string({ maxLength: 3 }) }), fc.record({ Regex: fc.constantFrom('(', '[', '\\p{Nope}', '(a+)+$', '\\s+', '.', '', '\\', '(?<x>a)\\k<y>') }), jsonValueArb),
    content: fc.oneof(fc.string({ maxLength: 3 }), jsonValueArb),
    normalizers: fc.array(jsonValueArb, { maxLength: 2 }),
    pretokenizers: fc.array(jsonValueArb, { maxLength: 2 }),
    decoders: fc.array(jsonValueArb, { maxLength: 2 }),
    replacement: fc.oneof(fc.string({ maxLength: 2 }), jsonValueArb),
    behavior: fc.constantFrom('Removed', 'Isolated', 'MergedWithPrevious', 'Contiguous', 'Nope'),
    precompiled_charsmap: fc.oneof(fc.base64String({ maxLength: 16 }), jsonValueArb),
    single: fc.oneof(fc.constant([{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }]), jsonValueArb),
    special_tokens: jsonValueArb,
    vocab: fc.oneof(fc.constant(vocab), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer({ min: -5, max: 20 })), jsonValueArb),
    merges: fc.oneof(fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }), jsonValueArb),
    unk_token: fc.oneof(fc.constantFrom('<unk>', 'missing'), jsonValueArb),
    unk_id: fc.oneof(fc.integer({ min: -1, max: 20 }), jsonValueArb),
    length: fc.oneof(fc.integer({ min: -1, max: 5 }), jsonValueArb),
  }, { requiredKeys: ['type'] }),
  jsonValueArb,
);
const tokenizerEditArb = fc.oneof(
  { arbitrary: jsonEditArb(), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), path: fc.nat(), value: componentArb }), weight: 2 },
);

describe('config.json fuzz', () => {
  afterAll(() => printSummary(CONFIG));

  it('JSON edits of real configs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...configs), fc.array(jsonEditArb(fc.constantFrom('num_layers', 'num_decoder_layers', 'vocab_size', 'd_model', 'feed_forward_proj', 'model_type', 'layer_norm_epsilon', 'x')), { minLength: 1, maxLength: 4 }), (base, edits) => {
        config(materialize(applyJsonEdits(base, edits)));
      }),
      fcParams(6000),
    );
  });

  it('each field set to a random JSON value (huge, fractional, negative, NaN-ish strings, nested)', () => {
    const keys = Object.keys(configs[0]!);
    fc.assert(
      fc.property(fc.constantFrom(...keys), jsonValueArb, (key, value) => {
        config(materialize({ ...configs[0], [key]: value }));
      }),
      fcParams(4000),
    );
  });

  it('random bytes, random text, invalid UTF-8 and deep nesting through readJson', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.string({ maxLength: 64 }).map((s) => enc.encode(s)),
          jsonValueArb.map((v) => enc.encode(toJsonText(v))),
          mutatedArb(enc.encode(JSON.stringify(configs[0]))),
          fc.tuple(invalidUtf8Arb, fc.nat({ max: 100 })).map(([bad, at]) => {
            const text = enc.encode(JSON.stringify(configs[0]));
            return concat(text.subarray(0, at), bad, text.subarray(at));
          }),
        ),
        async (bytes) => {
          await expectTypedOutcomeAsync(async () => parseT5Config(await readJson(memorySource({ 'config.json': bytes }), 'config.json')), ALLOWED, {
            reader: CONFIG,
            validate: checkConfig,
          });
        },
      ),
      fcParams(4000),
    );
  });

  it('100k levels of nesting, as the whole file and as each field', async () => {
    for (const deep of [deepJsonText(100_000), deepJsonText(100_000, true)]) {
      await expectTypedOutcomeAsync(async () => parseT5Config(await readJson(memorySource({ 'config.json': enc.encode(deep) }), 'config.json')), ALLOWED, { reader: CONFIG });
      for (const key of ['vocab_size', 'num_layers', 'feed_forward_proj', 'layer_norm_epsilon', 'model_type']) {
        const text = JSON.stringify({ ...configs[0], [key]: 0 }).replace(`"${key}":0`, `"${key}":${deep}`);
        await expectTypedOutcomeAsync(async () => parseT5Config(await readJson(memorySource({ 'config.json': enc.encode(text) }), 'config.json')), ALLOWED, { reader: CONFIG });
      }
    }
  });

  it('a billion layers is refused quickly', () => {
    for (const key of ['num_layers', 'num_decoder_layers']) {
      const outcome = config({ ...configs[0], [key]: 1e9 });
      expect(outcome.kind).toBe('error');
    }
  });
});

describe('tokenizer.json fuzz', () => {
  afterAll(() => printSummary(TOKENIZER, USE));

  it('JSON edits and swapped components of small tokenizers of every kind, then encode/decode', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zoo), fc.array(tokenizerEditArb, { minLength: 1, maxLength: 3 }), fc.array(textArb, { minLength: 1, maxLength: 3 }), idsArb, (base, edits, texts, ids) => {
        tokenizer(materialize(applyJsonEdits(base, edits)), {}, texts, ids);
      }),
      fcParams(2000),
    );
  });

  it('the stock T5 tokenizer with edited components (when ../shared is there)', () => {
    if (!t5Tokenizer) return;
    // Edit only the small parts: the vocabulary (32k pieces) is left alone, except as a whole.
    const { model, ...rest } = t5Tokenizer;
    fc.assert(
      fc.property(fc.array(tokenizerEditArb, { minLength: 1, maxLength: 2 }), fc.boolean(), fc.array(textArb, { minLength: 1, maxLength: 2 }), idsArb, (edits, dropModel, texts, ids) => {
        const edited = materialize(applyJsonEdits(rest, edits));
        const json = edited && typeof edited === 'object' && !Array.isArray(edited) ? { ...edited, ...(dropModel ? {} : { model }) } : edited;
        tokenizer(json, {}, texts, ids);
      }),
      fcParams(100),
    );
  });

  it('a regular expression that backtracks exponentially is refused at load, not hung on at encode', () => {
    for (const [where, component] of [
      ['pre_tokenizer', { type: 'Split', pattern: { Regex: '(a+)+$' }, behavior: 'Isolated', invert: false }],
      ['normalizer', { type: 'Replace', pattern: { Regex: '(\\w*\\s?)*$' }, content: 'x' }],
      ['decoder', { type: 'Replace', pattern: { Regex: '(?:a|a+)+b' }, content: '' }],
    ] as const) {
      const outcome = expectTypedOutcome(() => T5Tokenizer.fromJson({ ...wordTokenizer, [where]: component }).encode('a'.repeat(40) + '!'), ALLOWED, { reader: TOKENIZER, maxMs: 500 });
      expect(outcome.kind, where).toBe('error');
    }
  });

  it('a FixedLength pre-tokenizer that never advances (length 0, negative, null, "") is refused at load', () => {
    for (const length of [0, -1, null, '', [], false, 0.5]) {
      const json = { ...wordTokenizer, pre_tokenizer: { type: 'FixedLength', length } };
      const outcome = expectTypedOutcome(() => T5Tokenizer.fromJson(json).encode('the good movie'), ALLOWED, { reader: TOKENIZER, maxMs: 500 });
      expect(outcome.kind, JSON.stringify(length)).toBe('error');
    }
    expect(T5Tokenizer.fromJson({ ...wordTokenizer, pre_tokenizer: { type: 'FixedLength', length: 3 } }).encode('the good movie').length).toBeGreaterThan(1);
  });

  it('random JSON values and random tokenizer_config.json values', () => {
    fc.assert(
      fc.property(fc.oneof(jsonValueArb, fc.record({ model: jsonValueArb })), jsonValueArb, fc.array(textArb, { maxLength: 2 }), idsArb, (json, tokConfig, texts, ids) => {
        tokenizer(materialize(json), materialize(tokConfig), texts, ids);
      }),
      fcParams(1500),
    );
  });

  it('random text, invalid UTF-8 and 100k levels of nesting through readJson', async () => {
    const base = enc.encode(JSON.stringify(wordTokenizer));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 64 }).map((s) => enc.encode(s)), mutatedArb(base), fc.constantFrom(enc.encode(deepJsonText(100_000)), enc.encode(`{"model":${deepJsonText(100_000, true)}}`))),
        async (bytes) => {
          const outcome = await expectTypedOutcomeAsync(async () => T5Tokenizer.fromJson(await readJson(memorySource({ 'tokenizer.json': bytes }), 'tokenizer.json')), ALLOWED, { reader: TOKENIZER });
          if (outcome.kind === 'valid') useTokenizer(outcome.value, ['the good movie', 'é😀'], [3, 4, 5]);
        },
      ),
      fcParams(600),
    );
  });
});
