/**
 * Delimited text → a rectangular table of strings, forgiving the way spreadsheets export:
 * BOM, CRLF/CR/mixed line ends, quoted newlines, `""` escapes, Excel's `sep=;` line, blank lines,
 * trailing empty columns, empty or repeated header names, and rows with too few or too many fields.
 * Every repair that could matter is reported in `warnings`, naming rows as a spreadsheet numbers
 * them (the header is row 1, blank lines count, a quoted multi-line value is one row). The first
 * row may also be data (CsvOptions.header): then it is row 1 and columns are named by position.
 */
import Papa from 'papaparse';
import { DatasetError } from './datasetError';
import { decideHeader, HEADER_SAMPLE_ROWS, type HeaderDecision, type HeaderMode } from './headerDetection';

export interface CsvTable {
  /** Column names: trimmed, never empty, unique. */
  columns: string[];
  /** Data rows (blank lines left out), each exactly `columns.length` values, untrimmed. */
  rows: string[][];
  delimiter: string;
  warnings: string[];
  /**
   * The spreadsheet row number of each row (header = row 1, blank lines counted). Tables built by
   * hand may leave it out; then row i is taken to be spreadsheet row i + 2.
   */
  rowNumbers?: number[];
  /** Whether the first row was read as column names, and why; present when CsvOptions.header was given. */
  header?: HeaderDecision;
}

export interface CsvOptions {
  /** Field separator; detected among `,` `;` tab `|` when absent. */
  delimiter?: string;
  /**
   * Whether the first row holds column names: 'yes' (what happens when absent), 'no' (columns are
   * then called "column 1", "column 2"...) or 'auto' (headerDetection.ts). When given, the table
   * says what was decided in `header`.
   */
  header?: HeaderMode;
  /** Column names the caller will ask for: with header 'auto', a first row holding one is a header. */
  columnNames?: readonly string[];
}

/** The separators auto-detection chooses among, in order of preference on a tie. */
export const CSV_DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

/** How many row numbers a warning names before it says "and N more". */
export const MAX_ROWS_LISTED = 10;

/** Most empty values parseCsvTable adds to fill in rows shorter than the header. */
export const MAX_FILLED_VALUES = 10_000_000;

/** Rows examined when guessing the separator. */
const GUESS_ROWS = 50;

export function parseCsvTable(text: string, options: CsvOptions = {}): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // One line ending everywhere: files glued together from different systems mix them, and a value's
  // own line breaks become plain "\n".
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');

  const warnings: string[] = [];
  let delimiter = options.delimiter || undefined;
  // Excel's hint line ("sep=;"), which Excel itself hides: the header is still row 1.
  const sepLine = /^sep=(.)\n/i.exec(text);
  if (sepLine) {
    text = text.slice(sepLine[0].length);
    delimiter ??= sepLine[1];
  }
  let guessed = false;
  if (delimiter === undefined) {
    delimiter = guessDelimiter(text);
    guessed = true;
  }
  const sep = delimiter ?? ',';

  // Blank lines are kept through the parse (and dropped below) so that row numbers count them.
  let result = Papa.parse<string[]>(text, { delimiter: sep, newline: '\n', skipEmptyLines: false, header: false });
  // Tab-separated files from research code rarely quote: a sentence that starts with a quote mark
  // would swallow the lines after it. Read them as plain text instead.
  if (sep === '\t' && result.errors.some((e) => e.code === 'MissingQuotes' || e.code === 'InvalidQuotes')) {
    result = Papa.parse<string[]>(text, { delimiter: sep, newline: '\n', skipEmptyLines: false, header: false, quoteChar: unusedChar(text) });
    warnings.push('quote marks in this tab-separated file do not follow CSV quoting, so they were kept as ordinary text and each line was read as one row');
  }
  const records = result.data;

  const firstIndex = records.findIndex((r) => !isBlank(r));
  if (firstIndex < 0) throw new DatasetError('empty', 'the file is empty: it needs a header row (column names) and data rows');
  const rest: number[] = [];
  for (let i = firstIndex + 1; i < records.length; i++) if (!isBlank(records[i]!)) rest.push(i);
  const decision =
    options.header === undefined
      ? undefined
      : decideHeader(options.header, records[firstIndex]!, rest.slice(0, HEADER_SAMPLE_ROWS).map((i) => records[i]!), { columnNames: options.columnNames });
  const header = decision?.hasHeader === false ? undefined : records[firstIndex]!;
  const dataIndex = header ? rest : [firstIndex, ...rest];
  if (header && dataIndex.length === 0) {
    throw new DatasetError('no-rows', `the file has a header row (${listNames(header.map((h) => h.trim()))}) but no data rows`);
  }

  // Columns with no name and no values (trailing separators, a spreadsheet's stray empty column) go.
  // One pass over the values (not one per column: a header of 30,000 commas would take minutes).
  // Without a header the widest row sets the width, so no value is ever cut off.
  let width = header?.length ?? 0;
  if (!header) for (const i of dataIndex) width = Math.max(width, records[i]!.length);
  const hasValue = new Uint8Array(width);
  for (const i of dataIndex) {
    const record = records[i]!;
    for (let j = 0; j < Math.min(width, record.length); j++) if (!hasValue[j] && record[j]!.trim() !== '') hasValue[j] = 1;
  }
  const keep: number[] = [];
  for (let j = 0; j < width; j++) if (hasValue[j] || (header && header[j]!.trim() !== '')) keep.push(j);
  if (keep.length === 0) throw new DatasetError('empty', 'the file has no column names and no values');
  const needed = keep[keep.length - 1]! + 1;
  const identity = keep.length === width;

  // Short rows are filled in to the header's width; a very wide header over short rows would make
  // a small file ask for billions of empty values.
  let missing = 0;
  for (const i of dataIndex) missing += Math.max(0, needed - records[i]!.length);
  if (missing > MAX_FILLED_VALUES) {
    const widest = header ? 'the header row has' : 'the widest row has';
    throw new DatasetError(
      'too-big',
      `${widest} ${width.toLocaleString('en-US')} columns but the rows have far fewer fields: filling them in would take ${missing.toLocaleString('en-US')} empty values, more than this app can hold. Check that the first row is the header and that the separator is right`,
    );
  }

  const short = new RowList();
  const long = new RowList();
  const rows: string[][] = new Array(dataIndex.length);
  const rowNumbers: number[] = new Array(dataIndex.length);
  for (let n = 0; n < dataIndex.length; n++) {
    const i = dataIndex[n]!;
    const record = records[i]!;
    rowNumbers[n] = i + 1;
    if (record.length < needed) short.add(i + 1);
    else if (record.length > width) {
      for (let j = width; j < record.length; j++) {
        if (record[j]!.trim() !== '') {
          long.add(i + 1);
          break;
        }
      }
    }
    rows[n] = identity && record.length === width ? record : keep.map((j) => record[j] ?? '');
  }
  const s = (k: number) => (k === 1 ? ' had' : 's had');
  const than = header ? 'the header' : 'the widest row';
  if (short.count > 0) warnings.push(`${short.count} row${s(short.count)} fewer fields than ${than} (${short}); the missing values were left empty`);
  if (long.count > 0) warnings.push(`${long.count} row${s(long.count)} more fields than the header (${long}); the extra values were ignored`);

  for (const code of ['MissingQuotes', 'InvalidQuotes'] as const) {
    const rowsWith = new RowList();
    for (const e of result.errors) if (e.code === code && e.row !== undefined) rowsWith.add(e.row + 1);
    if (rowsWith.count === 0) continue;
    warnings.push(
      code === 'MissingQuotes'
        ? `a quoted value is never closed (${rowsWith}): everything after its opening quote was read as one value`
        : `a quoted value has text after its closing quote (${rowsWith}): write a quote inside a quoted value as ""`,
    );
  }

  // A headerless file's columns are named by position, as a spreadsheet shows them.
  const columns = header
    ? uniqueNames(
        keep.map((j) => header[j]!.trim()),
        keep,
        warnings,
      )
    : keep.map((j) => `column ${j + 1}`);
  if (columns.length === 1 && guessed) {
    warnings.push(`only one column (${quote(columns[0]!)}) was found: no comma, semicolon, tab or | separator was detected`);
  }
  return { columns, rows, delimiter: sep, warnings, rowNumbers, ...(decision ? { header: decision } : {}) };
}

/** A character the text does not contain, to stand for "no quote character" in Papa Parse. */
function unusedChar(text: string): string {
  for (const c of ['\u0000', '\uffff', '\ue000', '\ue001']) if (!text.includes(c)) return c;
  return '\ue002';
}

/**
 * The separator that splits the first rows most consistently: the header must split into at least
 * two fields, and the share of rows with exactly the header's field count decides; ties go to more
 * columns, then to the order of CSV_DELIMITERS. Undefined when no candidate gives two columns.
 */
export function guessDelimiter(text: string, candidates: readonly string[] = CSV_DELIMITERS): string | undefined {
  let best: { delimiter: string; consistency: number; columns: number } | undefined;
  for (const delimiter of candidates) {
    if (!text.includes(delimiter)) continue;
    const rows = Papa.parse<string[]>(text, { delimiter, newline: '\n', preview: GUESS_ROWS, skipEmptyLines: 'greedy', header: false }).data;
    const columns = rows[0]?.length ?? 0;
    if (columns < 2) continue;
    const consistency = rows.filter((r) => r.length === columns).length / rows.length;
    if (!best || consistency > best.consistency || (consistency === best.consistency && columns > best.columns)) {
      best = { delimiter, consistency, columns };
    }
  }
  return best?.delimiter;
}

/** "rows 3, 5 and 8", "row 4", "rows 2, 3, …, 11 and 5 more": up to MAX_ROWS_LISTED numbers. */
export function describeRows(rows: readonly number[], count = rows.length): string {
  if (rows.length === 0) return '';
  if (rows.length === 1 && count === 1) return `row ${rows[0]}`;
  const more = count - rows.length;
  if (more > 0) return `rows ${rows.join(', ')} and ${more} more`;
  return `rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`;
}

/** A count of rows with the first MAX_ROWS_LISTED of their numbers. */
export class RowList {
  count = 0;
  readonly rows: number[] = [];

  add(row: number): void {
    this.count++;
    if (this.rows.length < MAX_ROWS_LISTED) this.rows.push(row);
  }

  toString(): string {
    return describeRows(this.rows, this.count);
  }
}

function isBlank(record: string[]): boolean {
  for (const field of record) if (field.trim() !== '') return false;
  return true;
}

const quote = (s: string) => `'${s}'`;

/** How many column names an error message lists before it says "and N more". */
export const MAX_NAMES_LISTED = 20;
/** Longest column name an error message quotes in full. */
const MAX_NAME_CHARS = 60;

/**
 * "'text', 'label'": names for a message, at most MAX_NAMES_LISTED of them, each cut to
 * MAX_NAME_CHARS, so a 30,000-column header or a 1 MB header cell still gives a readable sentence.
 */
export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES_LISTED).map((n) => quote(n.length > MAX_NAME_CHARS ? `${n.slice(0, MAX_NAME_CHARS)}…` : n));
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more.toLocaleString('en-US')} more` : shown.join(', ');
}

/** Empty names become "column N" (N = the column's position in the file), repeats get " (2)", " (3)"... */
function uniqueNames(names: string[], positions: number[], warnings: string[]): string[] {
  const taken = new Set<string>();
  const first = names.map((name) => {
    if (name === '' || taken.has(name)) return false;
    taken.add(name);
    return true;
  });
  // The next suffix to try per name, so 30,000 columns named alike take linear, not quadratic, time.
  const nextSuffix = new Map<string, number>();
  return names.map((name, k) => {
    if (first[k]) return name;
    const base = name === '' ? `column ${positions[k]! + 1}` : name;
    let unique = base;
    let n = nextSuffix.get(base) ?? 2;
    while (taken.has(unique)) unique = `${base} (${n++})`;
    nextSuffix.set(base, n);
    taken.add(unique);
    warnings.push(
      name === ''
        ? `column ${positions[k]! + 1} has no name in the header; it is called ${quote(unique)}`
        : `more than one column is named ${quote(name)}; column ${positions[k]! + 1} is called ${quote(unique)}`,
    );
    return unique;
  });
}
