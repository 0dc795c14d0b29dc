/**
 * Fuzzing the readers issue #14 added, like the CSV ones: JSON Lines / JSON arrays on text made of
 * JSON's characters and on mutated valid exports, header detection on headerless and headered
 * files in every mode, readLabeledFile end to end with random names (extensions) and options, and
 * the label-text and dataset checks on random labels. Plus the big ones, once each and timed: a
 * 1,000,000-line JSONL file, a 1,000,000-row headerless CSV, records with 5,000 different keys.
 * Everything ends in a DatasetError or a valid result.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsvTable, type CsvTable } from '../../src/core/data/csvTable';
import { checkDataset } from '../../src/core/data/datasetChecks';
import { readLabeledFile, type LabeledFile } from '../../src/core/data/dataset';
import { DatasetError } from '../../src/core/data/datasetError';
import { decideHeader } from '../../src/core/data/headerDetection';
import { parseJsonRecords } from '../../src/core/data/jsonRecords';
import { checkLabelTexts, resolveLabelTexts, suggestLabelTexts } from '../../src/core/data/labelTexts';
import { checkLabeled, checkTable } from './dataChecks';
import { enc, expectTypedOutcome, fcParams, FuzzFailure, mutatedArb, printSummary } from './helpers';

const JSON_READER = 'parseJsonRecords';
const HEADER_READER = 'parseCsvTable (header)';
const FILE_READER = 'readLabeledFile';
const LABEL_TEXTS = 'label texts + checks';
const ALLOWED = [DatasetError];

/** A file's invariants (dataChecks) plus the format's: a header decision for a delimited file only. */
function checkLabeledFile(d: LabeledFile): void {
  checkLabeled(d);
  if ((d.format === 'json') !== (d.header === undefined)) throw new FuzzFailure('a header decision for JSON, or none for a delimited file');
}
/** Tables from these readers always carry the row numbers problems are reported with. */
const checkNumberedTable = (t: CsvTable) => checkTable(t, { requireRowNumbers: true });

const json = (text: string) => expectTypedOutcome(() => parseJsonRecords(text), ALLOWED, { reader: JSON_READER, validate: checkNumberedTable });
const headed = (text: string, header: 'yes' | 'no' | 'auto') =>
  expectTypedOutcome(() => parseCsvTable(text, { header }), ALLOWED, {
    reader: HEADER_READER,
    validate: (t) => {
      checkNumberedTable(t);
      if (!t.header || (header !== 'auto' && t.header.hasHeader !== (header === 'yes'))) throw new FuzzFailure(`header ${header} not obeyed or not reported`);
    },
  });
const labeled = (bytes: Uint8Array, opts: Parameters<typeof readLabeledFile>[1] = {}, maxMs?: number) =>
  expectTypedOutcome(() => readLabeledFile(bytes, opts), ALLOWED, { reader: FILE_READER, validate: checkLabeledFile, ...(maxMs ? { maxMs } : {}) });

// ---- generators ----

const jsonChar = fc.oneof(
  { arbitrary: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\n', '\r\n', ' ', '\\', '\\u00', 'null', 'true', '1', '-1', '1e999', '"text"', '"label"', '"__proto__"'), weight: 4 },
  { arbitrary: fc.constantFrom('a', 'é', '😀', '\ud800', '\u0000', '\ufeff'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 3 }), weight: 1 },
);
const jsonText = fc.array(jsonChar, { maxLength: 80 }).map((parts) => parts.join(''));

const valueArb = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null), fc.constantFrom('pos', 'neg', 'good film', ''));
const recordArb = fc.dictionary(fc.oneof(fc.constantFrom('text', 'label', 'sentence', ' text', '', 'idx', '__proto__', 'constructor'), fc.string({ maxLength: 4 })), valueArb, { maxKeys: 5 });
const jsonlArb = fc.tuple(fc.array(recordArb, { maxLength: 25 }), fc.boolean(), fc.constantFrom('\n', '\r\n')).map(([records, asArray, eol]) =>
  asArray ? JSON.stringify(records) : records.map((r) => JSON.stringify(r)).join(eol) + eol,
);

/** Headerless or headered delimited files: label first or last, numbers or words, sentences with separators. */
const delimitedArb = fc
  .record({
    sep: fc.constantFrom(',', '\t', ';', '|'),
    header: fc.option(fc.array(fc.constantFrom('text', 'label', 'sentence', 'id', '', '1', 'a long header that reads like a sentence'), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    rows: fc.array(fc.tuple(fc.constantFrom('1', '-1', '0', 'pos', 'neg', ''), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a good film, really', '"quoted" start', 'x\ty', 'two\nlines'))), { maxLength: 30 }),
    labelFirst: fc.boolean(),
    quote: fc.boolean(),
  })
  .map(({ sep, header, rows, labelFirst, quote }) => {
    const field = (f: string) => (quote && /[",;\t|\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    const lines = rows.map(([l, t]) => (labelFirst ? [l, t] : [t, l]).map(field).join(sep));
    return (header ? [header.map(field).join(sep)] : []).concat(lines).join('\n') + '\n';
  });

const validJsonl = fc
  .array(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(0, 1, 2)), { minLength: 2, maxLength: 30 })
  .map((rows) => rows.map(([text, label]) => JSON.stringify({ text, label })).join('\n'));

describe('data formats fuzz', () => {
  afterAll(() => printSummary(JSON_READER, HEADER_READER, FILE_READER, LABEL_TEXTS));

  it('parseJsonRecords on text made of JSON characters', () => {
    fc.assert(fc.property(jsonText, (text) => void json(text)), fcParams(6000));
  });

  it('parseJsonRecords on generated records (odd keys, nulls, numbers, arrays of them)', () => {
    fc.assert(fc.property(jsonlArb, (text) => void json(text)), fcParams(3000));
  });

  it('readLabeledFile on mutated JSONL exports (bit flips, truncations), named .jsonl or not', () => {
    fc.assert(
      fc.property(validJsonl.chain((text) => fc.tuple(mutatedArb(enc.encode(text)), fc.constantFrom('train.jsonl', 'data.json', 'export', 'x.csv'))), ([bytes, fileName]) => void labeled(bytes, { fileName })),
      fcParams(3000),
    );
  });

  it('parseCsvTable with header yes / no / auto on headerless and headered files', () => {
    fc.assert(fc.property(delimitedArb, fc.constantFrom('yes', 'no', 'auto') as fc.Arbitrary<'yes' | 'no' | 'auto'>, (text, mode) => void headed(text, mode)), fcParams(5000));
  });

  it('readLabeledFile on delimited files with random names, header modes and column options', () => {
    fc.assert(
      fc.property(
        delimitedArb,
        fc.record(
          {
            fileName: fc.constantFrom('a.csv', 'a.tsv', 'a.txt', 'a.jsonl', ''),
            header: fc.constantFrom('yes', 'no', 'auto') as fc.Arbitrary<'yes' | 'no' | 'auto'>,
            textColumn: fc.constantFrom('text', 'column 2', 'column 1', 'missing'),
            labelColumn: fc.constantFrom('label', 'column 1', 'column 2'),
          },
          { requiredKeys: [] },
        ),
        (text, opts) => void labeled(enc.encode(text), opts),
      ),
      fcParams(5000),
    );
  });

  it('decideHeader on random rows never throws and always decides', () => {
    const row = fc.array(fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom('1', '-1', 'label', 'text', '')), { maxLength: 6 });
    fc.assert(
      fc.property(row, fc.array(row, { maxLength: 40 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), (first, rest, names) => {
        const d = decideHeader('auto', first, rest, { columnNames: names });
        expect(typeof d.hasHeader).toBe('boolean');
        expect(d.detected).toBe(true);
      }),
      fcParams(3000),
    );
  });

  it('label-text suggestions and checks, and the dataset checks, on random labels and texts', () => {
    const labelsArb = fc.uniqueArray(fc.oneof(fc.string({ maxLength: 6 }).filter((s) => s.trim() !== ''), fc.constantFrom('1', '-1', '0', 'LABEL_1', 'pos', 'y', 'constructor', '__proto__', 'toString')), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(labelsArb, fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 30 })), (labels, edits) => {
        expectTypedOutcome(
          () => {
            for (const s of suggestLabelTexts(labels)) expect(Object.keys(s.texts).sort()).toEqual([...labels].sort());
            const texts = resolveLabelTexts(labels, edits);
            expect(Object.keys(texts)).toHaveLength(labels.length);
            for (const t of Object.values(texts)) expect(typeof t === 'string' && t.trim() !== '').toBe(true);
            checkLabelTexts(texts);
            const examples = labels.flatMap((label, i) => Array.from({ length: i + 1 }, (_, k) => ({ text: `${k % 2}`, label })));
            const c = checkDataset(examples, { validationFraction: 0.1, test: examples.slice(0, 2) });
            expect(c.majority.accuracy).toBeGreaterThan(0);
          },
          [],
          { reader: LABEL_TEXTS },
        );
      }),
      fcParams(2000),
    );
  });

  it('a 1,000,000-line JSONL file and a 1,000,000-row headerless CSV finish within seconds', () => {
    const lines: string[] = [];
    for (let i = 0; i < 1_000_000; i++) lines.push(`{"text":"review number ${i}","label":${i % 3 === 0 ? 1 : 0}}`);
    const bytes = enc.encode(lines.join('\n'));
    let start = performance.now();
    const jsonOutcome = labeled(bytes, { fileName: 'big.jsonl' }, 20_000);
    console.log(`1,000,000 JSONL lines (${(bytes.length / 1e6).toFixed(1)} MB): ${(performance.now() - start).toFixed(0)} ms`);
    expect(jsonOutcome.kind === 'valid' && jsonOutcome.value.examples.length).toBe(1_000_000);

    const rows: string[] = [];
    for (let i = 0; i < 1_000_000; i++) rows.push(`${i % 3 === 0 ? '1' : '-1'},review number ${i}`);
    const csv = enc.encode(rows.join('\n'));
    start = performance.now();
    const csvOutcome = labeled(csv, {}, 15_000);
    console.log(`1,000,000 headerless rows (${(csv.length / 1e6).toFixed(1)} MB): ${(performance.now() - start).toFixed(0)} ms`);
    expect(csvOutcome.kind === 'valid' && csvOutcome.value.examples.length).toBe(1_000_000);
  });

  it('records with 5,000 different keys: capped, with a warning', () => {
    const records = Array.from({ length: 5 }, (_, r) => JSON.stringify(Object.fromEntries(Array.from({ length: 1000 }, (_, k) => [`k${r * 1000 + k}`, k]))));
    const outcome = json(records.join('\n'));
    expect(outcome.kind).toBe('valid');
    if (outcome.kind === 'valid') {
      expect(outcome.value.columns).toHaveLength(1000);
      expect(outcome.value.warnings.some((w) => /4,000 were ignored/.test(w))).toBe(true);
    }
  });
});
