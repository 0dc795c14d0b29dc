/**
 * Whether the first row is a header, on files shaped like the ones people have: rt-polarity as it
 * ships (label first, 1 / -1, no header), headerless TSVs, headered files with numeric labels.
 * Every expectation is the generated file's own content: each row written is a row read back.
 */
import { describe, expect, it } from 'vitest';
import { parseCsvTable } from '../../../src/core/data/csvTable';
import { readLabeledFile } from '../../../src/core/data/dataset';
import { decideHeader, describeHeader } from '../../../src/core/data/headerDetection';

const utf8 = (s: string) => new TextEncoder().encode(s);
const quoteCsv = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const WORDS = ['a', 'gripping', 'tale', 'of', 'loss', 'dull', 'and', 'tedious', 'the', 'film', 'never', 'finds', 'its', 'footing', 'warm', 'funny'];
/** A movie-review-like sentence with commas and the odd quote, as rt-polarity's are. */
function sentence(i: number): string {
  const words = Array.from({ length: 6 + (i % 9) }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]!);
  if (i % 3 === 0) words.splice(3, 0, ',');
  if (i % 5 === 0) words.push('"', 'wow', '"');
  return `${words.join(' ')} .`;
}

/** rt-polarity's shape: `1,"sentence"` / `-1,"sentence"`, no header. */
function rtPolarity(n: number): { text: string; rows: Array<[string, string]> } {
  const rows = Array.from({ length: n }, (_, i): [string, string] => [i % 2 === 0 ? '1' : '-1', sentence(i)]);
  return { text: rows.map(([l, t]) => `${l},${quoteCsv(t)}`).join('\n') + '\n', rows };
}

describe('header detection', () => {
  it('rt-polarity as it ships: every one of the 600 rows is an example, columns named by position', () => {
    const { text, rows } = rtPolarity(600);
    const data = readLabeledFile(utf8(text));
    expect(data.examples).toHaveLength(600);
    expect(data.examples).toEqual(rows.map(([label, t]) => ({ text: t, label })));
    expect([data.textColumn, data.labelColumn]).toEqual(['column 2', 'column 1']);
    expect(data.header).toMatchObject({ hasHeader: false, detected: true });
    expect(describeHeader(data.header!)).toMatch(/^the first row is read as data/);
    // The evidence names the first row's label as one of its column's values.
    expect(data.header!.evidence.join(' ')).toMatch(/'1' is also a value of column 1/);
    expect(data.warnings).toEqual([]);
  });

  it('row numbers count the first row as row 1 when it is data', () => {
    const table = parseCsvTable('1,good film\n-1,bad film\n\n1,great film\n', { header: 'auto' });
    expect(table.columns).toEqual(['column 1', 'column 2']);
    expect(table.rows).toEqual([['1', 'good film'], ['-1', 'bad film'], ['1', 'great film']]);
    expect(table.rowNumbers).toEqual([1, 2, 4]);
  });

  it('a headerless TSV with word labels and sentences', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [sentence(i), i % 3 === 0 ? 'neg' : 'pos']);
    const data = readLabeledFile(utf8(rows.map((r) => r.join('\t')).join('\n')), { fileName: 'reviews.tsv' });
    expect(data.delimiter).toBe('\t');
    expect(data.examples).toHaveLength(40);
    expect(data.examples[0]).toEqual({ text: rows[0]![0], label: 'neg' });
    expect(data.header?.hasHeader).toBe(false);
  });

  it('headered files stay headered: usual names, numeric labels under a name, unknown names over categories', () => {
    const numeric = parseCsvTable(['sentence,label', ...Array.from({ length: 30 }, (_, i) => `${quoteCsv(sentence(i))},${i % 2}`)].join('\n'), { header: 'auto' });
    expect(numeric.columns).toEqual(['sentence', 'label']);
    expect(numeric.rows).toHaveLength(30);
    expect(numeric.header).toMatchObject({ hasHeader: true, detected: true });

    const odd = parseCsvTable(['utterance_txt;klasse', 'book a table;restaurant', 'play jazz;music', 'book a flight;travel', 'play rock;music', 'a table for two;restaurant'].join('\n'), { header: 'auto' });
    expect(odd.columns).toEqual(['utterance_txt', 'klasse']);
    expect(odd.rows).toHaveLength(5);

    // No evidence either way: a header, as spreadsheets assume.
    const plain = parseCsvTable('a,b\nfirst sentence,second sentence\nthird one,fourth one\n', { header: 'auto' });
    expect(plain.columns).toEqual(['a', 'b']);
    expect(describeHeader(plain.header!)).toBe('the first row is read as column names (nothing in it looked like data)');
  });

  it('an ID column under "id" is a header; ID numbers in the first row are data', () => {
    const headed = parseCsvTable('id,review\n1,fine\n2,bad\n3,okay\n', { header: 'auto' });
    expect(headed.columns).toEqual(['id', 'review']);
    const bare = parseCsvTable('1,fine,pos\n2,bad,neg\n3,okay,pos\n4,meh,neg\n', { header: 'auto' });
    expect(bare.columns).toEqual(['column 1', 'column 2', 'column 3']);
    expect(bare.rows).toHaveLength(4);
  });

  it('yes and no are obeyed; names asked for by the caller make the first row a header', () => {
    const { text } = rtPolarity(10);
    expect(parseCsvTable(text, { header: 'yes' }).rows).toHaveLength(9);
    expect(parseCsvTable(text, { header: 'yes' }).header).toEqual({ hasHeader: true, detected: false, evidence: [] });
    const headered = 'text,label\ngood,pos\nbad,neg\n';
    expect(parseCsvTable(headered, { header: 'no' }).rows).toEqual([['text', 'label'], ['good', 'pos'], ['bad', 'neg']]);
    // "polarity" and "sentence" would read as data on their own, but the caller asks for them by name.
    const asked = readLabeledFile(utf8('1,a sentence that goes on for a while here\n-1,another long sentence of some words\n1,x\n'), { textColumn: '1', labelColumn: 'a sentence that goes on for a while here' });
    expect(asked.header?.hasHeader).toBe(true);
    expect(asked.examples).toHaveLength(2);
  });

  it('no row is lost without a word: a one-row file is read as a header and says it has no data rows', () => {
    expect(() => parseCsvTable('1,a single example sentence that is long\n', { header: 'auto' })).toThrow(/header row .* but no data rows/);
    expect(parseCsvTable('1,a single example sentence that is long\n', { header: 'no' }).rows).toHaveLength(1);
  });

  it('without a header, ragged rows are widened to the widest row and reported, never cut', () => {
    const table = parseCsvTable('1,good\n-1,bad,extra note\n1,fine\n', { header: 'no' });
    expect(table.columns).toEqual(['column 1', 'column 2', 'column 3']);
    expect(table.rows).toEqual([['1', 'good', ''], ['-1', 'bad', 'extra note'], ['1', 'fine', '']]);
    expect(table.warnings).toEqual(['2 rows had fewer fields than the widest row (rows 1 and 3); the missing values were left empty']);
  });

  it('without the option, parseCsvTable reads the first row as the header and adds nothing to the table', () => {
    const table = parseCsvTable('1,good\n-1,bad\n');
    expect(table.columns).toEqual(['1', 'good']);
    expect('header' in table).toBe(false);
  });

  it('decideHeader only looks at a sample, so a huge file is decided at once', () => {
    const sample = Array.from({ length: 200_000 }, (_, i) => [i % 2 ? 'pos' : 'neg', `text ${i}`]);
    const start = performance.now();
    expect(decideHeader('auto', ['neg', 'first text'], sample).hasHeader).toBe(false);
    expect(performance.now() - start).toBeLessThan(200);
  });
});
