/**
 * parseCsvTable on the files spreadsheets and scripts really produce. Expected tables are worked
 * out by hand from the input text; row numbers are spreadsheet rows (header = 1, blank lines count).
 */
import { describe, expect, it } from 'vitest';
import { describeRows, guessDelimiter, parseCsvTable } from '../../../src/core/data/csvTable';
import { DatasetError } from '../../../src/core/data/datasetError';
import { decodeText } from '../../../src/core/data/decodeText';
import { expectError } from '../../helpers/expectError';

describe('parseCsvTable', () => {
  it('reads a messy Excel export: BOM, CRLF, quoted newline, "" escapes, trailing empty columns, blank lines', () => {
    const file = new Uint8Array([
      0xef, 0xbb, 0xbf,
      ...new TextEncoder().encode(
        'text,label,,\r\n' + //                   row 1
          '"He said ""hi"", then left",pos,,\r\n' + // row 2
          '\r\n' + //                              row 3 (blank)
          '"line one\r\nline two",neg,,\r\n' + //  row 4 (one row, two lines)
          ',,,\r\n' + //                           row 5 (blank: only separators)
          'plain,pos,,\r\n' + //                   row 6
          '\r\n',
      ),
    ]);
    const table = parseCsvTable(decodeText(file).text);
    expect(table).toEqual({
      columns: ['text', 'label'],
      rows: [
        ['He said "hi", then left', 'pos'],
        ['line one\nline two', 'neg'],
        ['plain', 'pos'],
      ],
      delimiter: ',',
      warnings: [],
      rowNumbers: [2, 4, 6],
    });
  });

  it('strips a BOM left in the text and handles CR-only (old Mac) line ends', () => {
    const table = parseCsvTable('\ufefftext,label\ra,x\rb,y\r');
    expect(table.columns).toEqual(['text', 'label']);
    expect(table.rows).toEqual([['a', 'x'], ['b', 'y']]);
  });

  it('handles files whose line ends are mixed', () => {
    expect(parseCsvTable('text,label\r\na,x\nb,y\r\nc,z').rows).toEqual([['a', 'x'], ['b', 'y'], ['c', 'z']]);
  });

  it('detects tabs (TSV) even when the text has commas and semicolons', () => {
    const table = parseCsvTable('sentence\tsentiment\nI liked it, a lot\tpositive\nmeh; not great\tnegative\n');
    expect(table.delimiter).toBe('\t');
    expect(table.columns).toEqual(['sentence', 'sentiment']);
    expect(table.rows).toEqual([['I liked it, a lot', 'positive'], ['meh; not great', 'negative']]);
  });

  it('detects semicolons (European Excel) with commas in the text', () => {
    const table = parseCsvTable('text;label\r\nBonjour, ça va;pos\r\n"Hello; world";neg\r\nun, deux, trois;pos\r\n');
    expect(table.delimiter).toBe(';');
    expect(table.rows).toEqual([['Bonjour, ça va', 'pos'], ['Hello; world', 'neg'], ['un, deux, trois', 'pos']]);
  });

  it('detects pipes', () => {
    expect(parseCsvTable('text|label\nx, y|a\n').rows).toEqual([['x, y', 'a']]);
  });

  it("follows Excel's sep= line, which is not a row", () => {
    const table = parseCsvTable('sep=;\r\ntext;label\r\nx,y;a\r\n');
    expect(table.delimiter).toBe(';');
    expect(table.columns).toEqual(['text', 'label']);
    expect(table.rows).toEqual([['x,y', 'a']]);
    expect(table.rowNumbers).toEqual([2]);
  });

  it('uses an explicit delimiter instead of guessing', () => {
    const table = parseCsvTable('a;b,c\n1;2,3\n', { delimiter: ',' });
    expect(table.columns).toEqual(['a;b', 'c']);
    expect(table.rows).toEqual([['1;2', '3']]);
  });

  it('names empty headers "column N" and repeated ones "name (2)", avoiding names already taken', () => {
    const table = parseCsvTable('text,,text,label,text (2)\na,b,c,d,e\n');
    expect(table.columns).toEqual(['text', 'column 2', 'text (3)', 'label', 'text (2)']);
    expect(table.rows).toEqual([['a', 'b', 'c', 'd', 'e']]);
    expect(table.warnings).toEqual([
      "column 2 has no name in the header; it is called 'column 2'",
      "more than one column is named 'text'; column 3 is called 'text (3)'",
    ]);
  });

  it('drops a column with no name and no values anywhere, but keeps a named empty column', () => {
    const table = parseCsvTable(' text ,,label,notes\na,,x,\nb, ,y,\n');
    expect(table.columns).toEqual(['text', 'label', 'notes']);
    expect(table.rows).toEqual([['a', 'x', ''], ['b', 'y', '']]);
    expect(table.warnings).toEqual([]);
  });

  it('pads short rows and truncates long ones, naming the rows; empty extra fields pass silently', () => {
    const table = parseCsvTable('text,label\na,x\nb\nc,y,extra\nd,z,\n\ne\n');
    expect(table.rows).toEqual([['a', 'x'], ['b', ''], ['c', 'y'], ['d', 'z'], ['e', '']]);
    expect(table.rowNumbers).toEqual([2, 3, 4, 5, 7]);
    expect(table.warnings).toEqual([
      '2 rows had fewer fields than the header (rows 3 and 7); the missing values were left empty',
      '1 row had more fields than the header (row 4); the extra values were ignored',
    ]);
  });

  it('lists at most 10 row numbers, then says how many more', () => {
    const text = 'a,b,c\n' + Array.from({ length: 12 }, (_, i) => `x${i},y`).join('\n');
    expect(parseCsvTable(text).warnings).toEqual([
      '12 rows had fewer fields than the header (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 2 more); the missing values were left empty',
    ]);
  });

  it('warns about a quote that is never closed, at its row', () => {
    const table = parseCsvTable('text,label\na,x\n"oops,y\nb,z\n');
    expect(table.rows).toEqual([['a', 'x'], ['oops,y\nb,z\n', '']]);
    expect(table.warnings).toEqual([
      '1 row had fewer fields than the header (row 3); the missing values were left empty',
      'a quoted value is never closed (row 3): everything after its opening quote was read as one value',
    ]);
  });

  it('says when only one column was found', () => {
    const table = parseCsvTable('text\nhello\nworld\n');
    expect(table.columns).toEqual(['text']);
    expect(table.rows).toEqual([['hello'], ['world']]);
    expect(table.warnings).toEqual(["only one column ('text') was found: no comma, semicolon, tab or | separator was detected"]);
  });

  it('keeps text that looks like HTML exactly as it is', () => {
    expect(parseCsvTable('text,label\n<img src=x onerror=alert(1)>,xss\n"<b>""bold""</b>, <script>",y\n').rows).toEqual([
      ['<img src=x onerror=alert(1)>', 'xss'],
      ['<b>"bold"</b>, <script>', 'y'],
    ]);
  });

  it('refuses an empty or blank file, and a header with no data rows', () => {
    expect(expectError(() => parseCsvTable(''), DatasetError).code).toBe('empty');
    const blank = expectError(() => parseCsvTable('\r\n \r\n,,\r\n'), DatasetError);
    expect(blank.code).toBe('empty');
    expect(blank.message).toBe('the file is empty: it needs a header row (column names) and data rows');
    const headerOnly = expectError(() => parseCsvTable('text,label\r\n\r\n'), DatasetError);
    expect(headerOnly.code).toBe('no-rows');
    expect(headerOnly.message).toBe("the file has a header row ('text', 'label') but no data rows");
  });

  it('parses 200,000 generated rows (quoted commas and newlines in some) correctly', () => {
    const lines = ['id,text,label'];
    for (let i = 0; i < 200_000; i++) {
      lines.push(i % 7 === 0 ? `${i},"review ${i}, with a comma\nand a newline",c${i % 3}` : `${i},review number ${i} was fine,c${i % 3}`);
    }
    const table = parseCsvTable(lines.join('\r\n') + '\r\n');
    expect(table.columns).toEqual(['id', 'text', 'label']);
    expect(table.rows.length).toBe(200_000);
    expect(table.rows[0]).toEqual(['0', 'review 0, with a comma\nand a newline', 'c0']);
    expect(table.rows[199_999]).toEqual(['199999', 'review number 199999 was fine', 'c1']);
    expect(table.rowNumbers![199_999]).toBe(200_001);
    expect(table.warnings).toEqual([]);
  });
});

describe('guessDelimiter', () => {
  it('picks the separator that splits the rows most consistently', () => {
    expect(guessDelimiter('a,b\n1,2\n')).toBe(',');
    expect(guessDelimiter('a;b;c\n1,5;2;3\n4;5,5;6\n')).toBe(';');
    expect(guessDelimiter('just one column\nno separators\n')).toBeUndefined();
  });
});

describe('describeRows', () => {
  it('writes row lists as a sentence', () => {
    expect(describeRows([4])).toBe('row 4');
    expect(describeRows([3, 5, 8])).toBe('rows 3, 5 and 8');
    expect(describeRows([2, 9], 5)).toBe('rows 2, 9 and 3 more');
  });
});
