/**
 * decodeText: the encodings spreadsheets really write, and binary files refused with a clear error.
 * Byte sequences are written out by hand; expected strings come from the encodings' definitions.
 */
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../../src/core/data/datasetError';
import { decodeText } from '../../../src/core/data/decodeText';
import { concat } from '../../helpers/bytes';
import { expectError } from '../../helpers/expectError';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** UTF-16 code units as bytes, little- or big-endian. */
function utf16(s: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < s.length; i++) view.setUint16(2 * i, s.charCodeAt(i), littleEndian);
  return out;
}

describe('decodeText', () => {
  it('decodes plain UTF-8, multi-byte characters included', () => {
    expect(decodeText(utf8('text,label\n日本語 😀,ja\n'))).toEqual({ text: 'text,label\n日本語 😀,ja\n', encoding: 'utf-8' });
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(decodeText(concat([0xef, 0xbb, 0xbf], utf8('text,label\r\n')))).toEqual({ text: 'text,label\r\n', encoding: 'utf-8' });
  });

  it('reads bytes that are not UTF-8 as Windows-1252: accents and curly quotes, no U+FFFD', () => {
    // "caf\xE9, na\xEFve \x93quoted\x94 \x80 it\x92s" in Windows-1252.
    const bytes = concat(utf8('text,label\r\n'), [0x63, 0x61, 0x66, 0xe9, 0x2c, 0x20, 0x6e, 0x61, 0xef, 0x76, 0x65, 0x20, 0x93], utf8('quoted'), [0x94, 0x20, 0x80, 0x20, 0x69, 0x74, 0x92, 0x73], utf8(',pos\r\n'));
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toBe('text,label\r\ncaf\u00e9, na\u00efve \u201cquoted\u201d \u20ac it\u2019s,pos\r\n');
    expect(decoded.text).not.toContain('\ufffd');
  });

  it('maps all of 0x80–0x9F as Windows-1252 does, also in files longer than one decoding chunk', () => {
    const high = decodeText(concat(utf8('x,y\n'), [0x80, 0x81, 0x8a, 0x8c, 0x8d, 0x96, 0x97, 0x99, 0x9f, 0xa0, 0xff]));
    expect(high).toEqual({ text: 'x,y\n\u20ac\u0081\u0160\u0152\u008d\u2013\u2014\u2122\u0178\u00a0\u00ff', encoding: 'windows-1252' });
    const line = [0x63, 0x61, 0x66, 0xe9, 0x2c, 0x93, 0x61, 0x94, 0x0a]; // caf\xE9,\x93a\x94\n
    const long = new Uint8Array(line.length * 5000).map((_, i) => line[i % line.length]!);
    expect(decodeText(long)).toEqual({ text: 'caf\u00e9,\u201ca\u201d\n'.repeat(5000), encoding: 'windows-1252' });
  });

  it('decodes UTF-16LE and UTF-16BE with a byte order mark (Excel "Unicode Text")', () => {
    const text = 'text\tlabel\r\nna\u00efve caf\u00e9 \u2603\tpos\r\n';
    expect(decodeText(concat([0xff, 0xfe], utf16(text, true)))).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeText(concat([0xfe, 0xff], utf16(text, false)))).toEqual({ text, encoding: 'utf-16be' });
  });

  it('recognises mostly-ASCII UTF-16 without a byte order mark instead of calling it binary', () => {
    const text = 'text,label\nhello there,greeting\n';
    expect(decodeText(utf16(text, true))).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeText(utf16(text, false))).toEqual({ text, encoding: 'utf-16be' });
  });

  it('refuses a PNG image, naming it', () => {
    const png = concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], utf8('IHDR'), new Uint8Array(40));
    const e = expectError(() => decodeText(png), DatasetError);
    expect(e.code).toBe('not-text');
    expect(e.message).toBe('this is not a text file; export your data as CSV (it looks like a PNG image)');
  });

  it('refuses a zip archive, and says what to do with an .xlsx workbook', () => {
    const zip = concat([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0], new Uint8Array(16), utf8('data.csv'));
    expect(expectError(() => decodeText(zip), DatasetError).message).toBe('this is not a text file; export your data as CSV (it looks like a zip archive)');
    const xlsx = concat([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0], new Uint8Array(16), utf8('xl/workbook.xml'));
    expect(expectError(() => decodeText(xlsx), DatasetError).message).toBe(
      'this is not a text file; export your data as CSV (it looks like an Excel workbook (.xlsx): in Excel use File › Save As › CSV)',
    );
  });

  it('refuses a safetensors file (8-byte little-endian header length, then JSON)', () => {
    const header = utf8('{"__metadata__":{}}');
    const file = concat([header.length, 0, 0, 0, 0, 0, 0, 0], header, new Uint8Array(8));
    expect(expectError(() => decodeText(file), DatasetError).message).toBe('this is not a text file; export your data as CSV (it looks like a safetensors model file)');
  });

  it('refuses unknown binary data: many NUL bytes, or many control characters', () => {
    const nuls = new Uint8Array(200).map((_, i) => (i % 3 === 0 ? 0 : 0x41 + (i % 26)));
    const e = expectError(() => decodeText(nuls), DatasetError);
    expect(e.code).toBe('not-text');
    expect(e.message).toBe('this is not a text file; export your data as CSV');
    const controls = new Uint8Array(200).map((_, i) => (i % 10 === 0 ? 0x03 : 0x61));
    expect(expectError(() => decodeText(controls), DatasetError).code).toBe('not-text');
  });

  it('drops a stray NUL in an otherwise ordinary text file', () => {
    const body = 'text,label\n' + 'a fine sentence,pos\n'.repeat(10);
    expect(decodeText(concat(utf8(body), [0]))).toEqual({ text: body, encoding: 'utf-8' });
  });

  it('returns text that looks like HTML unchanged, as a plain string', () => {
    const text = 'text,label\n<img src=x onerror=alert(1)>,xss\n';
    expect(decodeText(utf8(text))).toEqual({ text, encoding: 'utf-8' });
  });

  it('decodes an empty file to an empty string', () => {
    expect(decodeText(new Uint8Array(0))).toEqual({ text: '', encoding: 'utf-8' });
  });
});
