/**
 * Bytes of a dropped file → text, the way a spreadsheet user expects: UTF-8 (with or without a
 * BOM), UTF-16 (Excel's "Unicode Text"), or, when the bytes are not valid UTF-8, Windows-1252
 * (what Excel on Windows writes for "CSV" in Western locales) rather than a page of U+FFFD.
 * Binary files (images, zip/xlsx archives, model files...) are refused with a DatasetError.
 */
import { DatasetError } from './datasetError';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

/** How much of the file the binary/UTF-16 sniffing looks at. */
const SNIFF_BYTES = 64 * 1024;

const NOT_TEXT = 'this is not a text file; export your data as CSV';

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) return { text: '', encoding: 'utf-8' };

  // Byte order marks first: they say exactly what the file is.
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return decodeUtf8OrLegacy(bytes.subarray(3));
  if (startsWith(bytes, [0xff, 0xfe])) return { text: decodeUtf16(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: decodeUtf16(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };

  const kind = knownBinaryKind(bytes);
  if (kind) throw new DatasetError('not-text', `${NOT_TEXT} (it looks like ${kind})`);

  const sample = bytes.subarray(0, SNIFF_BYTES);
  let nul = 0;
  let control = 0;
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) {
      nul++;
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    } else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d) {
      control++;
    }
  }
  if (nul > 0) {
    // UTF-16 without a BOM: mostly-ASCII text has a zero in every other byte, on one side only.
    const pairs = Math.floor(sample.length / 2);
    if (pairs >= 2 && nulOdd >= 0.3 * pairs && nulEven <= 0.02 * pairs) return { text: decodeUtf16(bytes, 'utf-16le'), encoding: 'utf-16le' };
    if (pairs >= 2 && nulEven >= 0.3 * pairs && nulOdd <= 0.02 * pairs) return { text: decodeUtf16(bytes, 'utf-16be'), encoding: 'utf-16be' };
  }
  // Text has no NULs and almost no C0 control characters; binary data is full of them.
  if (nul > 0.01 * sample.length || nul + control > 0.05 * sample.length) throw new DatasetError('not-text', NOT_TEXT);

  const decoded = decodeUtf8OrLegacy(bytes);
  // A stray NUL or two (some exporters pad the end) is dropped rather than fed to the tokenizer.
  return nul > 0 ? { text: decoded.text.replace(/\0/g, ''), encoding: decoded.encoding } : decoded;
}

function decodeUtf8OrLegacy(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    // ignoreBOM: the caller already removed ours; anything left is content.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): string {
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  // UTF-16 hides binary from the byte-level sniffing; look at the characters instead.
  const sample = text.slice(0, SNIFF_BYTES / 2);
  let nul = 0;
  for (let i = 0; i < sample.length; i++) if (sample.charCodeAt(i) === 0) nul++;
  if (nul > 0.01 * sample.length) throw new DatasetError('not-text', NOT_TEXT);
  return nul > 0 ? text.replace(/\0/g, '') : text;
}

/** The characters Windows-1252 puts at 0x80–0x9F (the rest of the byte range is Latin-1). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

let nativeWindows1252: TextDecoder | null | undefined;

/**
 * The runtime's decoder when it really is Windows-1252: Node 20 (and other Node versions before the
 * fix for nodejs/node#56542) decodes the label as ISO-8859-1, turning curly quotes and "€" into
 * invisible C1 controls; then, or without the legacy encodings at all, the table above is used.
 */
function windows1252Decoder(): TextDecoder | null {
  if (nativeWindows1252 === undefined) {
    try {
      const decoder = new TextDecoder('windows-1252');
      nativeWindows1252 = decoder.decode(new Uint8Array([0x80, 0x93, 0x94])) === '\u20ac\u201c\u201d' ? decoder : null;
    } catch {
      nativeWindows1252 = null;
    }
  }
  return nativeWindows1252;
}

function decodeWindows1252(bytes: Uint8Array): string {
  const native = windows1252Decoder();
  if (native) return native.decode(bytes);
  const chunks: string[] = [];
  const codes = new Uint16Array(8192);
  for (let start = 0; start < bytes.length; start += codes.length) {
    const chunk = bytes.subarray(start, start + codes.length);
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      codes[i] = b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : b;
    }
    chunks.push(String.fromCharCode(...codes.subarray(0, chunk.length)));
  }
  return chunks.join('');
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** Recognise the binary formats people are most likely to drop by mistake, to name them in the error. */
function knownBinaryKind(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'a PNG image';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'a GIF image';
  if (startsWith(bytes, ascii('%PDF-'))) return 'a PDF document';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]) || startsWith(bytes, [0x50, 0x4b, 0x07, 0x08])) {
    // An .xlsx workbook is a zip whose entries live under "xl/"; the first entry names are near the start.
    const head = String.fromCharCode(...bytes.subarray(0, 4096));
    return head.includes('xl/') ? 'an Excel workbook (.xlsx): in Excel use File › Save As › CSV' : 'a zip archive';
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'an old Excel or Office file (.xls): in Excel use File › Save As › CSV';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'a gzip-compressed file: decompress it first';
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return 'a 7-Zip archive';
  if (startsWith(bytes, ascii('PAR1'))) return 'a Parquet file';
  if (startsWith(bytes, ascii('SQLite format 3\0'))) return 'an SQLite database';
  // safetensors: an 8-byte little-endian header length, then a JSON header starting with '{'.
  if (bytes.length >= 10 && bytes[8] === 0x7b && bytes[4] === 0 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) {
    const headerLength = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16)) + bytes[3]! * 2 ** 24;
    if (headerLength >= 2 && headerLength <= bytes.length - 8) return 'a safetensors model file';
  }
  return undefined;
}
