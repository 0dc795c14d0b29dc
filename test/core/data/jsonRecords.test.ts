/**
 * JSON Lines and JSON arrays as data files: the keys become columns, numbers their text, bad lines
 * are listed by line number, and files that are not JSON records say what JSON Lines looks like.
 * Expected rows are the generated records themselves.
 */
import { describe, expect, it } from 'vitest';
import { readLabeledFile } from '../../../src/core/data/dataset';
import { DatasetError } from '../../../src/core/data/datasetError';
import { looksLikeJson, parseJsonRecords } from '../../../src/core/data/jsonRecords';
import { dataFormat, readTable } from '../../../src/core/data/readTable';
import { expectError } from '../../helpers/expectError';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('JSON Lines', () => {
  it('a Hugging Face export: integer labels, extra keys, every record a row', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ idx: i, sentence: `review ${i}, with "quotes" and a comma`, label: i % 3 === 0 ? 0 : 1 }));
    const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const data = readLabeledFile(utf8(text), { fileName: 'train.jsonl' });
    expect(data.format).toBe('json');
    expect([data.textColumn, data.labelColumn]).toEqual(['sentence', 'label']);
    expect(data.examples).toEqual(records.map((r) => ({ text: r.sentence, label: String(r.label) })));
    expect(data.header).toBeUndefined();
    expect(data.warnings).toEqual([]);
  });

  it('keys in order of first appearance; missing keys empty; null, booleans, nested values as text', () => {
    const table = parseJsonRecords('{"text":"a","label":true}\r\n{"label":false,"meta":{"x":1},"text":null}\r\n{"extra":[1,2]}\r\n');
    expect(table.columns).toEqual(['text', 'label', 'meta', 'extra']);
    expect(table.rows).toEqual([
      ['a', 'true', '', ''],
      ['', 'false', '{"x":1}', ''],
      ['', '', '', '[1,2]'],
    ]);
    expect(table.rowNumbers).toEqual([1, 2, 3]);
  });

  it('lines that are not JSON objects are skipped and named by line, blank lines counted', () => {
    const table = parseJsonRecords('{"text":"a","label":"x"}\n\n{"text": "b", "label": "y"\n[1,2]\n"just a string"\n{"text":"c","label":"y"}\n');
    expect(table.rows).toEqual([['a', 'x'], ['c', 'y']]);
    expect(table.rowNumbers).toEqual([1, 6]);
    expect(table.warnings).toEqual([
      '1 line is not valid JSON and was skipped (line 3)',
      '2 lines are JSON but not an object with keys and were skipped (lines 4 and 5)',
    ]);
  });

  it('a JSON array of objects is read item by item', () => {
    const table = parseJsonRecords('[{"text":"good","label":1},{"text":"bad","label":-1},42]');
    expect(table.rows).toEqual([['good', '1'], ['bad', '-1']]);
    expect(table.warnings).toEqual(['1 item is JSON but not an object with keys and was skipped (item 3)']);
  });

  it('keys that trim to the same name or to nothing get names of their own, with a warning', () => {
    const table = parseJsonRecords('{"text":"a"," text ":"b","":"c"}\n');
    expect(table.columns).toEqual(['text', 'text (2)', 'column 3']);
    expect(table.rows).toEqual([['a', 'b', 'c']]);
  });

  it('not JSON records at all: a DatasetError that says what JSON Lines looks like', () => {
    for (const text of ['hello\nworld\n', '[1, 2', '{"a": 1', '{}\n{}\n']) {
      const e = expectError(() => parseJsonRecords(text), DatasetError, { code: 'bad-json' });
      expect(e.message).toMatch(/\{"text": "great film", "label": "positive"\}/);
    }
    expect(expectError(() => parseJsonRecords('  \n'), DatasetError, { code: 'empty' }).message).toMatch(/empty/);
    const oneKey = expectError(() => readLabeledFile(utf8('{"text":"a"}\n{"text":"b"}\n'), { fileName: 'x.jsonl' }), DatasetError, { code: 'no-columns' });
    expect(oneKey.message).toMatch(/only one key \('text'\)/);
  });
});

describe('the format of a file', () => {
  it('the extension decides when it says; otherwise the content', () => {
    expect(dataFormat('text,label\n', 'a.jsonl')).toBe('json');
    expect(dataFormat('{"text":"a"}\n', 'a.csv')).toBe('csv');
    expect(dataFormat('{"text":"a","label":"b"}\n', 'export')).toBe('json');
    expect(dataFormat('[{"text":"a"}]', '')).toBe('json');
    expect(dataFormat('[CLS] text,label\n', '')).toBe('csv');
    expect(dataFormat('{not json},label\n', '')).toBe('csv');
    expect(looksLikeJson('   ')).toBe(false);
  });

  it('a .tsv is tab-separated even when a comma would split more consistently', () => {
    const text = 'text\tlabel\na, b, c\tx\nd, e, f\ty\n';
    expect(readTable(utf8(text), { fileName: 'data.tsv' }).table.rows).toEqual([['a, b, c', 'x'], ['d, e, f', 'y']]);
  });

  it('a TSV whose sentences start with quote marks is read line by line, with a warning', () => {
    const rows = ['"Wow" was all I could say\tpos', 'bad\tneg', '"Meh" , then nothing\tneg', 'great\tpos'];
    const { table } = readTable(utf8(['sentence\tlabel', ...rows].join('\n')), { fileName: 'data.tsv' });
    expect(table.rows).toEqual(rows.map((r) => r.split('\t')));
    expect(table.warnings).toEqual(['quote marks in this tab-separated file do not follow CSV quoting, so they were kept as ordinary text and each line was read as one row']);
  });
});
