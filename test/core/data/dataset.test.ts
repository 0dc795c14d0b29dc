/**
 * buildExamples and readLabeledCsv: skipped rows with their spreadsheet row numbers, fatal problems
 * as DatasetErrors with the messages the user sees, and whole messy files from bytes to examples.
 * Every expected value is read off the input by hand.
 */
import { describe, expect, it } from 'vitest';
import { parseCsvTable, type CsvTable } from '../../../src/core/data/csvTable';
import { buildExamples, findColumn, readLabeledCsv } from '../../../src/core/data/dataset';
import { DatasetError } from '../../../src/core/data/datasetError';
import { expectError } from '../../helpers/expectError';

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytesOf = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

describe('readLabeledCsv', () => {
  it('reads a messy export: BOM, CRLF, quotes, quoted newline, empty columns, blank lines, skipped rows, HTML', () => {
    const file = bytesOf(
      [0xef, 0xbb, 0xbf],
      'text,label,,\r\n' + //                        row 1
        '"Great, ""really"" great",pos,,\r\n' + //  row 2
        '\r\n' + //                                 row 3 (blank)
        '"two\r\nlines",neg,,\r\n' + //             row 4
        '   ,pos,,\r\n' + //                        row 5: no text
        '"fine", ,,\r\n' + //                       row 6: no label
        'ok,,,\r\n' + //                            row 7: no label
        '<img src=x onerror=alert(1)>,neg,,\r\n', // row 8
    );
    const result = readLabeledCsv(file);
    expect(result).toEqual({
      examples: [
        { text: 'Great, "really" great', label: 'pos' },
        { text: 'two\nlines', label: 'neg' },
        { text: '<img src=x onerror=alert(1)>', label: 'neg' },
      ],
      classCounts: new Map([
        ['pos', 1],
        ['neg', 2],
      ]),
      textColumn: 'text',
      labelColumn: 'label',
      warnings: ["1 row with no text in 'text' was skipped (row 5)", "2 rows with no label in 'label' were skipped (rows 6 and 7)"],
      encoding: 'utf-8',
      delimiter: ',',
    });
  });

  it('reads a Windows-1252 file (accents, curly quotes) and says which encoding it used', () => {
    // text;label / caf\xE9;pos / na\xEFve \x93quoted\x94;neg
    const file = bytesOf('text;label\r\ncaf', [0xe9], ';pos\r\nna', [0xef], 've ', [0x93], 'quoted', [0x94], ';neg\r\n');
    const result = readLabeledCsv(file);
    expect(result.encoding).toBe('windows-1252');
    expect(result.delimiter).toBe(';');
    expect(result.examples).toEqual([
      { text: 'caf\u00e9', label: 'pos' },
      { text: 'na\u00efve \u201cquoted\u201d', label: 'neg' },
    ]);
    expect(result.warnings).toEqual(['the file is not UTF-8: it was read as Windows-1252 (Western European)']);
  });

  it('reads Excel "Unicode Text": UTF-16LE with a BOM, tab-separated', () => {
    const text = 'sentence\tsentiment\r\nvery good, truly\tpositive\r\nbad\tnegative\r\n';
    const file = new Uint8Array(2 + 2 * text.length);
    file.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) new DataView(file.buffer).setUint16(2 + 2 * i, text.charCodeAt(i), true);
    const result = readLabeledCsv(file);
    expect(result.encoding).toBe('utf-16le');
    expect(result.delimiter).toBe('\t');
    expect([result.textColumn, result.labelColumn]).toEqual(['sentence', 'sentiment']);
    expect(result.examples).toEqual([
      { text: 'very good, truly', label: 'positive' },
      { text: 'bad', label: 'negative' },
    ]);
  });

  it('refuses a PNG with the "not a text file" message', () => {
    const e = expectError(() => readLabeledCsv(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])), DatasetError, { code: 'not-text' });
    expect(e.message).toBe('this is not a text file; export your data as CSV (it looks like a PNG image)');
  });

  it('a single class is fatal', () => {
    const e = expectError(() => readLabeledCsv(utf8('text,label\na,pos\nb, pos \nc,pos\n')), DatasetError, { code: 'too-few-classes' });
    expect(e.message).toBe("only one label value 'pos': prompt tuning needs at least two classes");
  });

  it('60 classes is a warning, with the column named', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `example ${i},class ${i % 60}`);
    const result = readLabeledCsv(utf8(['text,label', ...rows].join('\n')));
    expect(result.labelColumn).toBe('label');
    expect(result.classCounts.size).toBe(60);
    expect(result.classCounts.get('class 59')).toBe(2);
    expect(result.warnings).toEqual(["60 distinct labels: is 'label' really the label column?"]);
  });

  it('an explicit column that is not there is fatal, and the message lists the columns', () => {
    const file = utf8('text,label\na,x\nb,y\n');
    expect(expectError(() => readLabeledCsv(file, { labelColumn: 'category' }), DatasetError, { code: 'column-not-found' }).message).toBe(
      "no column named 'category'; the columns are 'text', 'label'",
    );
    expect(expectError(() => readLabeledCsv(file, { textColumn: 'body', labelColumn: 'category' }), DatasetError, { code: 'column-not-found' }).message).toBe(
      "no columns named 'body' or 'category'; the columns are 'text', 'label'",
    );
  });

  it('explicit columns: case-insensitive names, one given and the other detected, the same one twice', () => {
    const file = utf8('id,Review,label,lang\n1,good stuff,pos,en\n2,bad stuff,neg,en\n3,okay stuff,pos,fr\n4,great stuff,pos,en\n');
    const byName = readLabeledCsv(file, { textColumn: 'review', labelColumn: 'LANG' });
    expect([byName.textColumn, byName.labelColumn]).toEqual(['Review', 'lang']);
    expect(byName.examples[2]).toEqual({ text: 'okay stuff', label: 'fr' });
    expect(readLabeledCsv(file, { labelColumn: 'lang' }).textColumn).toBe('Review');
    expect(readLabeledCsv(file, { textColumn: 'lang' }).labelColumn).toBe('label');
    expect(expectError(() => readLabeledCsv(file, { textColumn: 'label', labelColumn: 'Label' }), DatasetError, { code: 'no-columns' }).message).toBe(
      "'label' cannot be both the text and the label column",
    );
  });

  it('a file with one column, or columns that cannot be told apart, is fatal', () => {
    expect(expectError(() => readLabeledCsv(utf8('text\nhello\nworld\n')), DatasetError, { code: 'no-columns' }).message).toBe(
      "the file has only one column ('text'): it needs a text column and a label column, separated by a comma, semicolon, tab or |",
    );
    expect(expectError(() => readLabeledCsv(utf8('a,b\nfirst sentence,second sentence\nthird one,fourth one\nfifth,sixth\n')), DatasetError, { code: 'no-columns' }).message).toBe(
      "could not tell which are the text and label columns (the columns are 'a', 'b'); choose them by name",
    );
  });

  it('no data rows, or no row with both text and label, is fatal', () => {
    expect(expectError(() => readLabeledCsv(utf8('text,label\n')), DatasetError, { code: 'no-rows' }).message).toBe("the file has a header row ('text', 'label') but no data rows");
    expect(expectError(() => readLabeledCsv(utf8('text,label\na,\nb,\n'), { textColumn: 'text', labelColumn: 'label' }), DatasetError, { code: 'no-rows' }).message).toBe(
      "no row has both a text (in 'text') and a label (in 'label')",
    );
    expect(expectError(() => readLabeledCsv(new Uint8Array(0)), DatasetError, { code: 'empty' }).message).toBe('the file is empty: it needs a header row (column names) and data rows');
  });
});

describe('buildExamples', () => {
  const table = parseCsvTable(
    'label,text\n' + //   row 1
      'pos,good\n' + //   row 2
      ',no label\n' + //  row 3
      '\n' + //           row 4 (blank)
      'neg,\n' + //       row 5: no text
      ' neg ,  bad  \n' + // row 6
      ',\tx\t\n', //      row 7: no label
  );

  it('trims texts and labels, skips and counts rows with no text or no label by spreadsheet row', () => {
    expect(buildExamples(table, 'text', 'label')).toEqual({
      examples: [
        { text: 'good', label: 'pos' },
        { text: 'bad', label: 'neg' },
      ],
      classCounts: new Map([
        ['pos', 1],
        ['neg', 1],
      ]),
      problems: {
        unknownColumns: [],
        noUsableColumns: false,
        emptyText: { count: 1, rows: [5] },
        missingLabel: { count: 2, rows: [3, 7] },
        singleClass: undefined,
        tooManyClasses: undefined,
        fatal: [],
        warnings: ["1 row with no text in 'text' was skipped (row 5)", "2 rows with no label in 'label' were skipped (rows 3 and 7)"],
      },
    });
  });

  it('names at most 10 skipped rows but counts them all', () => {
    const rows = Array.from({ length: 13 }, (_, i) => `text ${i},`).concat(['a,x', 'b,y']);
    const built = buildExamples(parseCsvTable(['text,label', ...rows].join('\n')), 'text', 'label');
    expect(built.problems.missingLabel).toEqual({ count: 13, rows: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] });
    expect(built.problems.warnings).toEqual(["13 rows with no label in 'label' were skipped (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more)"]);
    expect(built.examples).toEqual([
      { text: 'a', label: 'x' },
      { text: 'b', label: 'y' },
    ]);
  });

  it('reports unknown columns and a single column without throwing', () => {
    const unknown = buildExamples(table, 'body', 'label');
    expect(unknown.examples).toEqual([]);
    expect(unknown.problems.unknownColumns).toEqual(['body']);
    expect(unknown.problems.fatal).toEqual([{ code: 'column-not-found', message: "no column named 'body'; the columns are 'label', 'text'" }]);

    const single = buildExamples({ columns: ['text'], rows: [['a'], ['b']], delimiter: ',', warnings: [] }, 'text', 'text');
    expect(single.problems.noUsableColumns).toBe(true);
    expect(single.problems.fatal.map((f) => f.code)).toEqual(['no-columns', 'no-columns']);
  });

  it('flags a single class and too many classes', () => {
    const one = buildExamples({ columns: ['t', 'l'], rows: [['a', 'x'], ['b', 'x ']], delimiter: ',', warnings: [] }, 't', 'l');
    expect(one.problems.singleClass).toBe('x');
    expect(one.problems.fatal).toEqual([{ code: 'too-few-classes', message: "only one label value 'x': prompt tuning needs at least two classes" }]);

    const rows = Array.from({ length: 51 }, (_, i) => [`text ${i}`, `c${i}`]);
    const many = buildExamples({ columns: ['t', 'l'], rows, delimiter: ',', warnings: [] }, 't', 'l');
    expect(many.problems.tooManyClasses).toBe(51);
    expect(many.problems.fatal).toEqual([]);
    expect(many.problems.warnings).toEqual(["51 distinct labels: is 'l' really the label column?"]);
  });

  it('numbers rows i + 2 in a hand-made table without rowNumbers', () => {
    const built = buildExamples({ columns: ['t', 'l'], rows: [['a', 'x'], ['', 'y'], ['c', 'y']], delimiter: ',', warnings: [] } satisfies CsvTable, 't', 'l');
    expect(built.problems.emptyText).toEqual({ count: 1, rows: [3] });
  });

  it('warns about labels that differ only in case or spacing', () => {
    const built = buildExamples(parseCsvTable('t,l\na,Positive\nb,positive\nc,very  bad\nd,Very bad\n'), 't', 'l');
    expect([...built.classCounts.keys()]).toEqual(['Positive', 'positive', 'very  bad', 'Very bad']);
    expect(built.problems.warnings).toEqual([
      "labels 'Positive' and 'positive' differ only in upper/lower case or spacing; they are treated as different classes",
      "labels 'very  bad' and 'Very bad' differ only in upper/lower case or spacing; they are treated as different classes",
    ]);
  });
});

describe('findColumn', () => {
  it('exact name first, else the only case-insensitive match', () => {
    expect(findColumn(['Text', 'text', 'Label'], 'text')).toBe('text');
    expect(findColumn(['Text', 'text', 'Label'], 'TEXT')).toBeUndefined();
    expect(findColumn(['Text', 'text', 'Label'], ' label ')).toBe('Label');
    expect(findColumn(['a'], 'b')).toBeUndefined();
  });
});

describe('DatasetError', () => {
  it('is an Error with a code', () => {
    const e = new DatasetError('empty', 'the file is empty');
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.message]).toEqual(['DatasetError', 'empty', 'the file is empty']);
  });
});
