/**
 * Fuzzing parseSafetensors (and readF32 on every entry it accepts): mutated real model files,
 * JSON-level edits of their headers, generated headers with hostile dtypes/shapes/offsets, lying
 * header lengths and deeply nested JSON. Every input must end in a ModelFileError with a human
 * message or a file whose entries all lie inside it and decode to shape-sized arrays.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../../src/core/io/modelFileError';
import { BYTES_PER_ELEMENT, isStoredDtype } from '../../src/core/io/dtype';
import { parseSafetensors, writeSafetensors, type SafetensorsFile } from '../../src/core/io/safetensors';
import {
  applyJsonEdits,
  concat,
  deepJsonText,
  Deep,
  deepValue,
  enc,
  expectTypedOutcome,
  FuzzFailure,
  fcParams,
  invalidUtf8Arb,
  jsonEditArb,
  jsonValueArb,
  mutatedArb,
  printSummary,
  safetensorsBytes,
  safetensorsHeader,
  toJsonText,
} from './helpers';

const READER = 'safetensors';
const TENSORS = 'safetensors readF32';
const ALLOWED = [ModelFileError];

const fixture = (path: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url))));
const relu = fixture('t5-tiny-relu/model.safetensors');
const bf16 = fixture('t5-tiny-gated/model.bf16.safetensors');
/** A small file with every supported dtype, a scalar, an empty tensor and metadata. */
const small = (() => {
  const base = writeSafetensors(
    {
      a: { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, NaN, -Infinity]) },
      s: { shape: [], data: new Float32Array([Math.PI]) },
      e: { shape: [4, 0], data: new Float32Array(0) },
      b: { shape: [4], data: new Float32Array([1, 2, 3, 4]) },
    },
    { format: 'pt', note: 'héllo ✓' },
  );
  // Re-type "b" (16 bytes) as F16 [8], BF16 [2, 4] and F64 [2] views of the same bytes.
  const { header, data } = safetensorsHeader(base);
  const b = header.b as { data_offsets: [number, number] };
  header.h = { dtype: 'F16', shape: [8], data_offsets: b.data_offsets };
  header.bh = { dtype: 'BF16', shape: [2, 4], data_offsets: b.data_offsets };
  header.d = { dtype: 'F64', shape: [2], data_offsets: b.data_offsets };
  header.i = { dtype: 'I64', shape: [2], data_offsets: b.data_offsets };
  return safetensorsBytes(JSON.stringify(header), data);
})();

const headerEnd = (bytes: Uint8Array) => 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));

/** A parsed file is consistent: entries inside the file, sizes matching shapes, every tensor decodes. */
function checkFile(bytes: Uint8Array, file: SafetensorsFile): void {
  for (const [name, e] of file.entries) {
    if (!(e.begin >= 8 && e.begin <= e.end && e.end <= bytes.length)) throw new FuzzFailure(`entry "${name}" [${e.begin}, ${e.end}) lies outside the ${bytes.length}-byte file`);
    const numel = e.shape.reduce((a, d) => a * d, 1);
    if (isStoredDtype(e.dtype) && numel * BYTES_PER_ELEMENT[e.dtype] !== e.end - e.begin) throw new FuzzFailure(`entry "${name}" size does not match its shape`);
    expectTypedOutcome(() => file.readF32(name), ALLOWED, {
      reader: TENSORS,
      validate: (values) => {
        if (!(values instanceof Float32Array) || values.length !== numel) throw new FuzzFailure(`readF32("${name}") gave ${values.length} values for shape [${e.shape}]`);
      },
    });
  }
  expect(file.names().length).toBe(file.entries.size);
}

function parseAll(bytes: Uint8Array): void {
  expectTypedOutcome(() => parseSafetensors(bytes, 'fuzz.safetensors'), ALLOWED, { reader: READER, validate: (f) => checkFile(bytes, f) });
}

// ---- generated headers ----

const dtypeArb = fc.oneof(
  { arbitrary: fc.constantFrom('F32', 'F16', 'BF16', 'F64'), weight: 4 },
  { arbitrary: fc.constantFrom('I64', 'I32', 'U8', 'BOOL', 'F8_E4M3', 'f32', 'constructor', '__proto__', 'toString', ''), weight: 2 },
  { arbitrary: jsonValueArb, weight: 1 },
);
const dimArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 8 }), weight: 8 },
  { arbitrary: fc.constantFrom<unknown>(-1, 0.5, 1e9, 2 ** 31, 2 ** 32, 2 ** 53, 1e300, '4', null, NaN, [2]), weight: 1 },
);
const shapeArb = fc.oneof(
  { arbitrary: fc.array(dimArb, { maxLength: 4 }), weight: 8 },
  { arbitrary: fc.constantFrom<unknown>([1e9, 1e9], [2 ** 26, 2 ** 26, 2 ** 26], Array(1000).fill(1), Array(64).fill(2)), weight: 1 },
  { arbitrary: jsonValueArb, weight: 1 },
);
const offsetArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 300 }), weight: 8 },
  { arbitrary: fc.constantFrom<unknown>(-1, -8, 0.5, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e300, '0', null), weight: 1 },
);
const offsetsArb = fc.oneof(
  { arbitrary: fc.tuple(offsetArb, offsetArb), weight: 8 },
  { arbitrary: fc.array(offsetArb, { maxLength: 4 }), weight: 1 },
  { arbitrary: jsonValueArb, weight: 1 },
);
const entryArb = fc.oneof(
  { arbitrary: fc.record({ dtype: dtypeArb, shape: shapeArb, data_offsets: offsetsArb }), weight: 8 },
  { arbitrary: fc.record({ dtype: dtypeArb, shape: shapeArb, data_offsets: offsetsArb }, { requiredKeys: [] }), weight: 1 },
  { arbitrary: jsonValueArb, weight: 1 },
);
const nameArb = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__metadata__', '__proto__', 'constructor', 'hasOwnProperty', ''));
const headerArb = fc.dictionary(nameArb, entryArb, { maxKeys: 6 });

/** Well-formed entries laid out back to back (and sometimes overlapping), for files that should load. */
const consistentFileArb = fc
  .array(fc.tuple(fc.constantFrom('F32', 'F16', 'BF16', 'F64'), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }), fc.boolean()), { minLength: 1, maxLength: 5 })
  .chain((specs) => {
    const header: Record<string, unknown> = {};
    let offset = 0;
    let prev = 0;
    specs.forEach(([dtype, shape, overlap], i) => {
      const size = shape.reduce((a, d) => a * d, 1) * BYTES_PER_ELEMENT[dtype as 'F32'];
      const begin = overlap ? prev : offset;
      header[`t${i}`] = { dtype, shape, data_offsets: [begin, begin + size] };
      prev = begin;
      offset = Math.max(offset, begin + size);
    });
    return fc.tuple(fc.constant(header), fc.uint8Array({ minLength: offset, maxLength: offset + 8 }));
  });

/** The header-length field, honest or lying. */
const headerLengthArb = (honest: number, fileLength: number): fc.Arbitrary<bigint> =>
  fc.oneof(
    { arbitrary: fc.constant(BigInt(honest)), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        0n, 1n, 2n, BigInt(honest - 1), BigInt(honest + 1), BigInt(fileLength - 8), BigInt(fileLength - 7), BigInt(fileLength),
        2n ** 64n - 1n, 2n ** 64n - 8n, 2n ** 63n, 2n ** 53n + 1n, 2n ** 32n, 2n ** 31n, 100n * 1024n * 1024n + 1n,
      ),
      weight: 3,
    },
    { arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), weight: 1 },
  );

describe('parseSafetensors fuzz', () => {
  afterAll(() => printSummary(READER, TENSORS));

  it('mutated real files (truncations, bit flips, overwrites), mostly in the header', () => {
    for (const [base, runs] of [[relu, 2400], [bf16, 1200], [small, 3600]] as const) {
      fc.assert(
        fc.property(mutatedArb(base, headerEnd(base)), (bytes) => parseAll(bytes)),
        fcParams(runs),
      );
    }
  });

  it('JSON edits of real headers (offsets, shapes, dtypes replaced, deleted or added)', () => {
    for (const [base, runs] of [[relu, 1600], [small, 2400]] as const) {
      const { header, data } = safetensorsHeader(base);
      fc.assert(
        fc.property(fc.array(jsonEditArb(), { minLength: 1, maxLength: 3 }), fc.boolean(), (edits, keepData) => {
          const text = toJsonText(applyJsonEdits(header, edits));
          parseAll(safetensorsBytes(text, keepData ? data : data.subarray(0, data.length >> 1)));
        }),
        fcParams(runs),
      );
    }
  });

  it('generated headers: unknown dtypes, shapes that do not multiply out, negative/overlapping/out-of-range offsets', () => {
    fc.assert(
      fc.property(headerArb, fc.uint8Array({ maxLength: 512 }), (header, data) => {
        const text = toJsonText(header);
        parseAll(safetensorsBytes(text, data));
      }),
      fcParams(5000),
    );
  });

  it('consistent generated files load, with any header length lie refused', () => {
    fc.assert(
      fc.property(
        consistentFileArb.chain(([header, data]) => {
          const text = JSON.stringify(header);
          const length = enc.encode(text).length;
          return fc.tuple(fc.constant(text), fc.constant(data), headerLengthArb(length, 8 + length + data.length), fc.constant(length));
        }),
        ([text, data, headerLength, honest]) => {
          const bytes = safetensorsBytes(text, data, headerLength);
          const outcome = expectTypedOutcome(() => parseSafetensors(bytes), ALLOWED, { reader: READER, validate: (f) => checkFile(bytes, f) });
          if (headerLength === BigInt(honest) && outcome.kind !== 'valid') throw new FuzzFailure(`a consistent file was refused: ${outcome.error.message}`);
        },
      ),
      fcParams(3000),
    );
  });

  it('random bytes, random text and invalid UTF-8 in the header', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.string({ maxLength: 64 }).map((s) => safetensorsBytes(s)),
          fc.tuple(fc.string({ maxLength: 16 }), invalidUtf8Arb, fc.string({ maxLength: 16 })).map(([a, bad, b]) => {
            const header = concat(enc.encode(`{"${a}`), bad, enc.encode(`${b}":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}`));
            return concat(u64(header.length), header, new Uint8Array(4));
          }),
        ),
        (bytes) => parseAll(bytes),
      ),
      fcParams(3000),
    );
  });

  it('a huge u64 header length is refused before allocating', () => {
    for (const length of [2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n, 2n ** 40n, 2n ** 32n - 1n, 100n * 1024n * 1024n + 1n, 2n ** 64n - 8n]) {
      const bytes = safetensorsBytes('{}', new Uint8Array(16), length);
      const before = process.memoryUsage().arrayBuffers;
      const outcome = expectTypedOutcome(() => parseSafetensors(bytes), ALLOWED, { reader: READER, maxMs: 50 });
      expect(outcome.kind).toBe('error');
      expect(outcome.kind === 'error' && (outcome.error as ModelFileError).code).toBe('truncated');
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    }
  });

  it('a tensor of shape [1e9, 1e9] (or 2^26 cubed) is refused without allocating', () => {
    for (const [dtype, shape, offsets] of [
      ['F32', [1e9, 1e9], [0, 4]],
      ['F32', [2 ** 26, 2 ** 26, 2 ** 26], [0, 4]],
      ['F32', [1e9, 1e9], [0, 4e18]],
      ['F16', [2 ** 31, 2 ** 31], [0, 16]],
      ['BF16', [1e9, 1e9], [0, 2e18]],
      ['I8', [1e9, 1e9], [0, 16]],
    ] as const) {
      const bytes = safetensorsBytes(JSON.stringify({ t: { dtype, shape, data_offsets: offsets } }), new Uint8Array(16));
      const before = process.memoryUsage().arrayBuffers;
      const outcome = expectTypedOutcome(() => {
        const f = parseSafetensors(bytes);
        return f.readF32('t');
      }, ALLOWED, { reader: READER, maxMs: 50 });
      expect(outcome.kind, `${dtype} [${shape}]`).toBe('error');
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    }
  });

  it('1 MB tensor names and dtypes give short messages', () => {
    const big = 'x'.repeat(1024 * 1024);
    for (const entry of [
      { dtype: 'F32', shape: [1] },
      { dtype: 'F32', shape: [-1], data_offsets: [0, 4] },
      { dtype: 'F32', shape: [1], data_offsets: [4, 0] },
      { dtype: 'F32', shape: [1], data_offsets: [0, 400] },
      { dtype: 'F32', shape: [2], data_offsets: [0, 4] },
      { dtype: big, shape: [1], data_offsets: [0, 4] },
    ]) {
      const bytes = safetensorsBytes(JSON.stringify({ [big]: entry }), new Uint8Array(4));
      expectTypedOutcome(() => parseSafetensors(bytes), ALLOWED, { reader: READER, validate: (f) => checkFile(bytes, f) });
    }
  });

  it('deeply nested JSON (100k levels) anywhere in the header is a ModelFileError', () => {
    const deep = deepJsonText(100_000);
    const deepObj = deepJsonText(100_000, true);
    const headers = [
      deep,
      deepObj,
      `{"t":{"dtype":"F32","shape":${deep},"data_offsets":[0,4]}}`,
      `{"t":{"dtype":"F32","shape":[1],"data_offsets":[${deep},4]}}`,
      `{"t":{"dtype":"F32","shape":[1],"data_offsets":${deep}}}`,
      `{"t":{"dtype":${deep},"shape":[1],"data_offsets":[0,4]}}`,
      `{"__metadata__":${deepObj},"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
      `{"__metadata__":{"a":${deep}},"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
      `{"t":${deep}}`,
    ];
    for (const h of headers) {
      const bytes = safetensorsBytes(h, new Uint8Array(4));
      expectTypedOutcome(() => parseSafetensors(bytes), ALLOWED, { reader: READER, validate: (f) => checkFile(bytes, f) });
    }
    // The same through the generator's marker, as the JSON-edit properties write it.
    expect(toJsonText([deepValue(3), new Deep(2, true)])).toBe('[[[[[]]]],{"a":{"a":{}}}]');
  });
});

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}
