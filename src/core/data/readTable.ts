/**
 * A dropped file's bytes → a table, whatever the format people have: CSV, TSV (or any delimiter),
 * JSON Lines, or a JSON array of objects. The file name's extension decides when it is telling
 * (.tsv is tab-separated, .jsonl/.ndjson/.json are JSON); otherwise the content does. Delimited
 * files are read with header detection unless the caller says whether the first row is a header.
 * The studio (page and CSV worker), the CLI and the tests all read files through here.
 */
import { parseCsvTable, type CsvTable } from './csvTable';
import { decodeText, type TextEncodingName } from './decodeText';
import type { HeaderMode } from './headerDetection';
import { looksLikeJson, parseJsonRecords } from './jsonRecords';

/** 'csv' covers every delimited text (comma, semicolon, tab, pipe); 'json' JSON Lines and JSON arrays. */
export type DataFormat = 'csv' | 'json';

export interface ReadTableOptions {
  /** The file's name, for its extension. */
  fileName?: string;
  /** Field separator of a delimited file; detected when absent (tab for a .tsv). */
  delimiter?: string;
  /** Whether the first row of a delimited file is a header; 'auto' when absent. */
  header?: HeaderMode;
  /** Column names the caller will ask for (they make a first row holding them a header). */
  columnNames?: readonly string[];
}

export interface ReadTableResult {
  table: CsvTable;
  encoding: TextEncodingName;
  format: DataFormat;
}

const JSON_EXTENSIONS = /\.(jsonl|ndjson|jsonlines|json)$/i;
const TAB_EXTENSIONS = /\.(tsv|tab)$/i;
const DELIMITED_EXTENSIONS = /\.(csv|tsv|tab|psv)$/i;

export function readTable(bytes: Uint8Array, options: ReadTableOptions = {}): ReadTableResult {
  const { text, encoding } = decodeText(bytes);
  const format = dataFormat(text, options.fileName);
  if (format === 'json') return { table: parseJsonRecords(text), encoding, format };
  const delimiter = options.delimiter || (options.fileName && TAB_EXTENSIONS.test(options.fileName) ? '\t' : undefined);
  const table = parseCsvTable(text, {
    ...(delimiter === undefined ? {} : { delimiter }),
    header: options.header ?? 'auto',
    ...(options.columnNames ? { columnNames: options.columnNames } : {}),
  });
  return { table, encoding, format };
}

/** The extension when it says (.jsonl, .csv, .tsv...), else what the text looks like. */
export function dataFormat(text: string, fileName = ''): DataFormat {
  if (JSON_EXTENSIONS.test(fileName)) return 'json';
  if (DELIMITED_EXTENSIONS.test(fileName)) return 'csv';
  return looksLikeJson(text) ? 'json' : 'csv';
}
