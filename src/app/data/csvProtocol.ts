/** Messages between useCsvFile and csvWorker, and the pure read both of them run. */
import type { CsvTable } from '../../core/data/csvTable';
import { DatasetError, type DatasetErrorCode } from '../../core/data/datasetError';
import type { TextEncodingName } from '../../core/data/decodeText';
import type { HeaderMode } from '../../core/data/headerDetection';
import { readTable, type DataFormat } from '../../core/data/readTable';
import { formatBytes } from '../../core/format/bytes';

export interface ParsedCsv {
  table: CsvTable;
  encoding: TextEncodingName;
  /** CSV/TSV ('csv') or JSON Lines / JSON ('json'). */
  format: DataFormat;
}

/** Why a file could not be turned into a table: the core's codes, plus reading failures. */
export type CsvFailureCode = DatasetErrorCode | 'unreadable' | 'too-big';

export interface CsvFailure {
  code: CsvFailureCode;
  message: string;
}

/** Page → worker: the File itself (structured clone shares the underlying data, no copy). */
export interface CsvWorkerRequest {
  file: File;
  /** Whether the first row of a delimited file is a header ('auto': detected). */
  header: HeaderMode;
}

/** Worker → page. */
export type CsvWorkerEvent =
  | { type: 'progress'; text: string }
  | { type: 'done'; result: ParsedCsv }
  | { type: 'failed'; failure: CsvFailure };

/**
 * Browsers cannot hold a string much over 512 MB (V8's limit) and parsing needs several copies of
 * the data; past this the tab would die instead of saying why.
 */
export const MAX_CSV_BYTES = 400 * 1024 * 1024;

/** CSV, TSV or JSON Lines, by the name's extension or else the content (core/data/readTable). */
export function parseCsvBytes(bytes: Uint8Array, fileName = '', header: HeaderMode = 'auto'): ParsedCsv {
  return readTable(bytes, { fileName, header });
}

export function tooBig(size: number): CsvFailure | undefined {
  if (size <= MAX_CSV_BYTES) return undefined;
  return {
    code: 'too-big',
    message: `the file is ${formatBytes(size)}; the browser can read at most ${formatBytes(MAX_CSV_BYTES)}. Use a sample of the rows (prompt tuning rarely needs more than a few thousand examples per class)`,
  };
}

/** Anything thrown while reading or parsing → a sentence for the person who chose the file. */
export function describeFailure(error: unknown): CsvFailure {
  if (error instanceof DatasetError) return { code: error.code, message: error.message };
  if (error instanceof DOMException && (error.name === 'NotReadableError' || error.name === 'NotFoundError')) {
    return { code: 'unreadable', message: 'the file could not be read: it may have been moved, deleted or locked by another program; choose it again' };
  }
  if (error instanceof RangeError) {
    return { code: 'too-big', message: 'the file is too big for the browser to hold in memory; use a sample of the rows' };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'unreadable', message: `the file could not be read (${detail})` };
}
