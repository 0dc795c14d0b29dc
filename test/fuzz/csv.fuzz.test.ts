/**
 * Fuzzing the CSV path: decodeText on random and mutated bytes (invalid UTF-8, UTF-16, binary
 * magic numbers), parseCsvTable on text made of separators, quotes and line ends, and
 * readLabeledCsv end to end with random column options. Plus the big ones, once each and timed:
 * a 1 MB single field, a 1,000,000-row file, and very wide headers (duplicate names, nameless
 * columns, rows far shorter than the header). Everything ends in a DatasetError or a valid table.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsvTable } from '../../src/core/data/csvTable';
import { readLabeledCsv } from '../../src/core/data/dataset';
import { DatasetError } from '../../src/core/data/datasetError';
import { decodeText } from '../../src/core/data/decodeText';
import { checkLabeled, checkTable } from './dataChecks';
import { concat, enc, expectTypedOutcome, fcParams, FuzzFailure, invalidUtf8Arb, mutatedArb, printSummary } from './helpers';

const DECODE = 'decodeText';
const TABLE = 'parseCsvTable';
const LABELED = 'readLabeledCsv';
const ALLOWED = [DatasetError];

const table = (text: string, delimiter?: string) =>
  expectTypedOutcome(() => parseCsvTable(text, delimiter === undefined ? {} : { delimiter }), ALLOWED, { reader: TABLE, validate: (t) => checkTable(t) });
const labeled = (bytes: Uint8Array, opts: Parameters<typeof readLabeledCsv>[1] = {}, maxMs?: number) =>
  expectTypedOutcome(() => readLabeledCsv(bytes, opts), ALLOWED, { reader: LABELED, validate: checkLabeled, ...(maxMs ? { maxMs } : {}) });
const decode = (bytes: Uint8Array) =>
  expectTypedOutcome(() => decodeText(bytes), ALLOWED, {
    reader: DECODE,
    validate: (d) => {
      if (typeof d.text !== 'string') throw new FuzzFailure('decodeText gave no text');
    },
  });

// ---- generators ----

/** Characters that matter to a CSV parser, plus ordinary and odd ones. */
const csvChar = fc.oneof(
  { arbitrary: fc.constantFrom(',', ';', '\t', '|', '"', '\n', '\r', '\r\n', ' ', '\ufeff', '\u0000', 'sep=', '""'), weight: 3 },
  { arbitrary: fc.constantFrom('a', 'b', 'pos', 'neg', 'label', 'text', 'Label ', ' TEXT', '1', '2.5', 'é', '€', '😀', '\ud800'), weight: 4 },
  { arbitrary: fc.string({ maxLength: 3 }), weight: 1 },
);
const csvText = fc.array(csvChar, { maxLength: 80 }).map((parts) => parts.join(''));

/** A roughly rectangular file: a header, rows of short fields, a chosen separator and line end. */
const structuredCsv = fc
  .record({
    sep: fc.constantFrom(',', ';', '\t', '|'),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    header: fc.array(fc.oneof(fc.constantFrom('text', 'label', 'sentence', 'class', 'id', '', 'text', 'Label'), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 5 }),
    rows: fc.array(fc.array(fc.oneof(fc.constantFrom('pos', 'neg', 'good movie', 'bad', '', ' ', '3', 'a "quoted" word', 'two\nlines', 'x,y'), fc.string({ maxLength: 6 })), { maxLength: 6 }), { maxLength: 30 }),
    quoteAll: fc.boolean(),
    bom: fc.boolean(),
    sepLine: fc.boolean(),
  })
  .map(({ sep, eol, header, rows, quoteAll, bom, sepLine }) => {
    const field = (f: string) => (quoteAll || /[",;\t|\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    const lines = [header, ...rows].map((r) => r.map(field).join(sep));
    return (bom ? '\ufeff' : '') + (sepLine ? `sep=${sep}${eol}` : '') + lines.join(eol) + eol;
  });

/** Two columns with a couple of labels: usually a valid dataset, so mutations start from something that loads. */
const validishCsv = fc
  .array(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('pos', 'neg', 'neutral')), { minLength: 2, maxLength: 40 })
  .map((rows) => ['text,label', ...rows.map(([t, l]) => `"${t.replace(/"/g, '""')}",${l}`)].join('\n'));

const optionsArb = (columns: string[]) =>
  fc.record(
    {
      textColumn: fc.oneof(fc.constantFrom(...columns, 'TEXT', ' text ', 'missing'), fc.string({ maxLength: 4 })),
      labelColumn: fc.oneof(fc.constantFrom(...columns, 'LABEL', 'missing'), fc.string({ maxLength: 4 })),
      delimiter: fc.oneof(fc.constantFrom(',', ';', '\t', '|', '"', '\n', 'ab', ''), fc.string({ maxLength: 2 })),
    },
    { requiredKeys: [] },
  );

const encodeAs = (text: string, encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'utf-16le-bom' | 'latin1'): Uint8Array => {
  if (encoding === 'utf-8') return enc.encode(text);
  if (encoding === 'utf-8-bom') return concat(new Uint8Array([0xef, 0xbb, 0xbf]), enc.encode(text));
  if (encoding === 'latin1') return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const [lo, hi] = [c & 0xff, c >> 8];
    if (encoding === 'utf-16be') [out[2 * i], out[2 * i + 1]] = [hi, lo];
    else [out[2 * i], out[2 * i + 1]] = [lo, hi];
  }
  if (encoding === 'utf-16le-bom') return concat(new Uint8Array([0xff, 0xfe]), out);
  return out;
};
const encodingArb = fc.constantFrom('utf-8', 'utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'utf-16le-bom', 'latin1') as fc.Arbitrary<Parameters<typeof encodeAs>[1]>;

const MAGIC = [
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0xff, 0xd8, 0xff], [0x50, 0x4b, 0x03, 0x04], [0x1f, 0x8b], [0x25, 0x50, 0x44, 0x46, 0x2d],
  [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], [0x50, 0x41, 0x52, 0x31], [0x10, 0, 0, 0, 0, 0, 0, 0, 0x7b], [0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf],
];

describe('CSV fuzz', () => {
  afterAll(() => printSummary(DECODE, TABLE, LABELED));

  it('parseCsvTable on text made of separators, quotes, line ends and odd characters', () => {
    fc.assert(fc.property(csvText, fc.option(fc.constantFrom(',', ';', '\t', '|', '"', '\n', ' '), { nil: undefined }), (text, d) => void table(text, d)), fcParams(8000));
  });

  it('readLabeledCsv on structured files in every encoding, with random column options', () => {
    fc.assert(
      fc.property(
        structuredCsv.chain((text) => fc.tuple(fc.constant(text), encodingArb, optionsArb(text.split(/[\r\n]/)[0]!.split(/[,;\t|]/)))),
        ([text, encoding, opts]) => void labeled(encodeAs(text, encoding), opts),
      ),
      fcParams(6000),
    );
  });

  it('readLabeledCsv on mutated valid files (bit flips give invalid UTF-8, truncations cut quotes)', () => {
    fc.assert(
      fc.property(validishCsv.chain((text) => mutatedArb(enc.encode(text))), (bytes) => void labeled(bytes)),
      fcParams(4000),
    );
  });

  it('decodeText on random bytes, binary magic numbers, NULs and invalid UTF-8', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.tuple(fc.constantFrom(...MAGIC), fc.uint8Array({ maxLength: 64 })).map(([m, b]) => concat(new Uint8Array(m), b)),
          fc.tuple(fc.string({ maxLength: 40 }), invalidUtf8Arb, fc.string({ maxLength: 40 })).map(([a, bad, b]) => concat(enc.encode(a), bad, enc.encode(b))),
          fc.tuple(fc.string({ maxLength: 40 }), fc.nat({ max: 5 })).map(([s, nuls]) => concat(enc.encode(s), new Uint8Array(nuls))),
        ),
        (bytes) => {
          decode(bytes);
          labeled(bytes);
        },
      ),
      fcParams(6000),
    );
  });

  it('a 1 MB single field (quoted, unquoted, in the header, with invalid UTF-8)', () => {
    const big = 'x'.repeat(1024 * 1024);
    const files = [
      `text,label\n"${big}",pos\nshort,neg\n`,
      `text,label\n${big},pos\nshort,neg\n`,
      `${big},label\na,pos\nb,neg\n`,
      `text,label\n"${big}`, // never closed
      `text,label\n"${'a""'.repeat(350_000)}",pos\nb,neg\n`,
    ].map((t) => enc.encode(t));
    files.push(concat(enc.encode('text,label\n'), new Uint8Array(1024 * 1024).fill(0xe9), enc.encode(',pos\nb,neg\n')));
    for (const bytes of files) labeled(bytes);
  });

  it('a 1,000,000-row file finishes within a few seconds', () => {
    const rows = ['text,label'];
    for (let i = 0; i < 1_000_000; i++) rows.push(`review number ${i},${i % 3 === 0 ? 'pos' : 'neg'}`);
    const bytes = enc.encode(rows.join('\n'));
    const start = performance.now();
    const outcome = labeled(bytes, {}, 10_000);
    const ms = performance.now() - start;
    console.log(`1,000,000 rows (${(bytes.length / 1e6).toFixed(1)} MB): ${ms.toFixed(0)} ms`);
    expect(outcome.kind).toBe('valid');
    expect(outcome.kind === 'valid' && outcome.value.examples.length).toBe(1_000_000);
  });

  it('very wide headers: 32k duplicate names, 32k nameless columns, rows far shorter than the header', () => {
    const n = 32_000;
    const cases = [
      'a,'.repeat(n) + 'a\nx,y\n',
      ','.repeat(n) + 'a\n' + 'x\n'.repeat(n),
      Array.from({ length: n }, (_, i) => `c${i}`).join(',') + '\n' + 'x\n'.repeat(n),
      Array.from({ length: n }, (_, i) => `c${i}`).join(',') + '\n' + 'x,y\n'.repeat(n),
      'text,label\n' + ','.repeat(n) + '\n' + 'a,pos\nb,neg\n',
    ];
    for (const text of cases) {
      table(text);
      labeled(enc.encode(text));
    }
  });
});
