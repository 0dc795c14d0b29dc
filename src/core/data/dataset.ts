/**
 * A parsed table → labelled examples, and the whole chain from a dropped file's bytes
 * (`readLabeledFile`, `readLabeledCsv`), which is what the CLI calls.
 *
 * `buildExamples` never throws: it reports everything in `problems` (fatal ones in `fatal`), so the
 * UI can show the table and what is wrong with the current column choice. `readLabeledCsv` throws
 * the first fatal problem as a DatasetError and returns the rest as human-readable warnings.
 */
import type { LabeledExample } from '../task/task';
import { detectColumns } from './columnDetection';
import { listNames, RowList, type CsvTable } from './csvTable';
import { DatasetError, type DatasetErrorCode } from './datasetError';
import type { TextEncodingName } from './decodeText';
import type { HeaderDecision, HeaderMode } from './headerDetection';
import { readTable, type DataFormat } from './readTable';

/** More distinct labels than this and the label column is probably the wrong one. */
export const MAX_CLASSES = 50;

export interface RowProblem {
  count: number;
  /** The first (up to 10) spreadsheet row numbers: the header is row 1. */
  rows: number[];
}

export interface DatasetIssue {
  code: DatasetErrorCode;
  message: string;
}

export interface DatasetProblems {
  /** Column names asked for that the table does not have. */
  unknownColumns: string[];
  /** The table has fewer than two columns, or the same column was given as text and label. */
  noUsableColumns: boolean;
  /** Rows skipped because their text is blank. */
  emptyText: RowProblem;
  /** Rows skipped because their label is blank (rows with blank text are counted there only). */
  missingLabel: RowProblem;
  /** The only label value, when every usable row has the same one. */
  singleClass: string | undefined;
  /** The number of distinct labels, when above MAX_CLASSES. */
  tooManyClasses: number | undefined;
  /** Problems that make training impossible, in the order found; readLabeledCsv throws the first. */
  fatal: DatasetIssue[];
  /** Sentences for everything else worth telling the user. */
  warnings: string[];
}

export interface BuiltExamples {
  examples: LabeledExample[];
  problems: DatasetProblems;
  /** Examples per label, labels in order of first appearance. */
  classCounts: Map<string, number>;
}

export interface LabeledCsv {
  examples: LabeledExample[];
  classCounts: Map<string, number>;
  textColumn: string;
  labelColumn: string;
  /** Everything repaired or skipped on the way, as sentences (none are fatal). */
  warnings: string[];
  encoding: TextEncodingName;
  delimiter: string;
}

export interface ReadLabeledCsvOptions {
  /** Column names (exact, else case-insensitive); the other one, or both, are detected. */
  textColumn?: string;
  labelColumn?: string;
  /** Field separator; detected when absent. */
  delimiter?: string;
  /** Whether the first row of a delimited file is a header: detected ('auto') when absent. */
  header?: HeaderMode;
  /** The file's name: its extension says the format (.jsonl, .tsv...); else the content does. */
  fileName?: string;
  /** Columns a multi-field template names besides the text (see buildExamples). */
  fields?: readonly string[];
}

export interface LabeledFile extends LabeledCsv {
  format: DataFormat;
  /** What was decided about the first row of a delimited file (absent for JSON). */
  header?: HeaderDecision;
}

const q = (s: string) => `'${s}'`;
const listColumns = (columns: readonly string[]) => listNames(columns);

/**
 * The table's column called `name`: the exact name, else the only one equal ignoring case and
 * surrounding spaces. Undefined when there is none (or several equally good).
 */
export function findColumn(columns: readonly string[], name: string): string | undefined {
  if (columns.includes(name)) return name;
  const wanted = name.trim().toLowerCase();
  const matches = columns.filter((c) => c.trim().toLowerCase() === wanted);
  return matches.length === 1 ? matches[0] : undefined;
}

/** `fields`: other columns a multi-field template names ("{question}"), carried on each example. */
export function buildExamples(table: CsvTable, textColumn: string, labelColumn: string, fields: readonly string[] = []): BuiltExamples {
  const problems: DatasetProblems = {
    unknownColumns: [],
    noUsableColumns: false,
    emptyText: { count: 0, rows: [] },
    missingLabel: { count: 0, rows: [] },
    singleClass: undefined,
    tooManyClasses: undefined,
    fatal: [],
    warnings: [],
  };
  const examples: LabeledExample[] = [];
  const classCounts = new Map<string, number>();
  const result = { examples, problems, classCounts };

  if (table.columns.length < 2) {
    problems.noUsableColumns = true;
    problems.fatal.push({ code: 'no-columns', message: onlyOneColumn(table) });
  }
  const text = findColumn(table.columns, textColumn);
  const label = findColumn(table.columns, labelColumn);
  for (const [name, found] of [[textColumn, text], [labelColumn, label]] as const) {
    if (found === undefined && !problems.unknownColumns.includes(name)) problems.unknownColumns.push(name);
  }
  const fieldColumns = fields.map((f) => findColumn(table.columns, f));
  fields.forEach((f, i) => {
    if (fieldColumns[i] === undefined && !problems.unknownColumns.includes(f)) problems.unknownColumns.push(f);
  });
  if (problems.unknownColumns.length > 0) {
    problems.fatal.push({ code: 'column-not-found', message: columnsNotFound(problems.unknownColumns, table.columns) });
  }
  if (text !== undefined && text === label) {
    problems.noUsableColumns = true;
    problems.fatal.push({ code: 'no-columns', message: `${q(text)} cannot be both the text and the label column` });
  }
  if (problems.fatal.length > 0 || text === undefined || label === undefined) return result;

  const t = table.columns.indexOf(text);
  const l = table.columns.indexOf(label);
  const emptyText = new RowList();
  const missingLabel = new RowList();
  table.rows.forEach((row, i) => {
    const rowNumber = table.rowNumbers?.[i] ?? i + 2;
    const exampleText = (row[t] ?? '').trim();
    if (exampleText === '') return emptyText.add(rowNumber);
    const exampleLabel = (row[l] ?? '').trim();
    if (exampleLabel === '') return missingLabel.add(rowNumber);
    const example: LabeledExample = { text: exampleText, label: exampleLabel };
    if (fields.length > 0) example.fields = Object.fromEntries(fields.map((f, j) => [f, (row[table.columns.indexOf(fieldColumns[j]!)] ?? '').trim()]));
    examples.push(example);
    classCounts.set(exampleLabel, (classCounts.get(exampleLabel) ?? 0) + 1);
  });
  problems.emptyText = { count: emptyText.count, rows: emptyText.rows };
  problems.missingLabel = { count: missingLabel.count, rows: missingLabel.rows };
  const skipped = (rows: RowList, what: string) =>
    `${rows.count} ${rows.count === 1 ? 'row' : 'rows'} with no ${what} ${rows.count === 1 ? 'was' : 'were'} skipped (${rows})`;
  if (emptyText.count > 0) problems.warnings.push(skipped(emptyText, `text in ${q(text)}`));
  if (missingLabel.count > 0) problems.warnings.push(skipped(missingLabel, `label in ${q(label)}`));

  if (examples.length === 0) {
    problems.fatal.push({ code: 'no-rows', message: `no row has both a text (in ${q(text)}) and a label (in ${q(label)})` });
    return result;
  }
  if (classCounts.size === 1) {
    const only = classCounts.keys().next().value!;
    problems.singleClass = only;
    problems.fatal.push({ code: 'too-few-classes', message: `only one label value ${q(only)}: prompt tuning needs at least two classes` });
  }
  if (classCounts.size > MAX_CLASSES) {
    problems.tooManyClasses = classCounts.size;
    problems.warnings.push(`${classCounts.size} distinct labels: is ${q(label)} really the label column?`);
  }

  // Labels that differ only in case or inner spacing are probably one class typed two ways.
  const variants = new Map<string, string[]>();
  for (const value of classCounts.keys()) {
    const key = value.toLowerCase().replace(/\s+/g, ' ');
    const group = variants.get(key);
    if (group) group.push(value);
    else variants.set(key, [value]);
  }
  for (const group of variants.values()) {
    if (group.length > 1) problems.warnings.push(`labels ${group.map(q).join(' and ')} differ only in upper/lower case or spacing; they are treated as different classes`);
  }
  return result;
}

/**
 * Bytes of a dropped file → labelled examples: decode, read the table (CSV, TSV, JSON Lines; the
 * first row a header or data), find the columns, build. Says which format was read and what was
 * decided about the first row.
 */
export function readLabeledFile(bytes: Uint8Array, opts: ReadLabeledCsvOptions = {}): LabeledFile {
  const asked = [opts.textColumn, opts.labelColumn, ...(opts.fields ?? [])].filter((n): n is string => n !== undefined);
  const { table, encoding, format } = readTable(bytes, {
    ...(opts.fileName === undefined ? {} : { fileName: opts.fileName }),
    ...(opts.delimiter === undefined ? {} : { delimiter: opts.delimiter }),
    header: opts.header ?? 'auto',
    columnNames: asked,
  });

  const unknown = asked.filter((n, i) => findColumn(table.columns, n) === undefined && asked.indexOf(n) === i);
  if (unknown.length > 0) throw new DatasetError('column-not-found', columnsNotFound(unknown, table.columns));
  if (table.columns.length < 2) throw new DatasetError('no-columns', format === 'json' ? onlyOneKey(table) : onlyOneColumn(table));

  const fixed: { text?: string; label?: string } = {};
  if (opts.textColumn !== undefined) fixed.text = findColumn(table.columns, opts.textColumn)!;
  if (opts.labelColumn !== undefined) fixed.label = findColumn(table.columns, opts.labelColumn)!;
  if (fixed.text !== undefined && fixed.text === fixed.label) {
    throw new DatasetError('no-columns', `${q(fixed.text)} cannot be both the text and the label column`);
  }
  const columns = detectColumns(table, fixed);
  if (!columns) {
    const which = fixed.text !== undefined ? 'label column' : fixed.label !== undefined ? 'text column' : 'text and label columns';
    throw new DatasetError('no-columns', `could not tell which are the ${which} (the columns are ${listColumns(table.columns)}); choose them by name`);
  }

  const built = buildExamples(table, columns.text, columns.label, opts.fields);
  const fatal = built.problems.fatal[0];
  if (fatal) throw new DatasetError(fatal.code, fatal.message);

  const warnings: string[] = [];
  if (encoding === 'windows-1252') warnings.push('the file is not UTF-8: it was read as Windows-1252 (Western European)');
  warnings.push(...table.warnings, ...built.problems.warnings);
  return {
    examples: built.examples,
    classCounts: built.classCounts,
    textColumn: columns.text,
    labelColumn: columns.label,
    warnings,
    encoding,
    delimiter: table.delimiter,
    format,
    ...(table.header ? { header: table.header } : {}),
  };
}

/** readLabeledFile without the format and header facts (header detection still applies). */
export function readLabeledCsv(bytes: Uint8Array, opts: ReadLabeledCsvOptions = {}): LabeledCsv {
  const { format: _format, header: _header, ...data } = readLabeledFile(bytes, opts);
  return data;
}

function columnsNotFound(names: readonly string[], columns: readonly string[]): string {
  const what = names.length === 1 ? `no column named ${q(names[0]!)}` : `no columns named ${names.map(q).join(' or ')}`;
  return `${what}; the columns are ${listColumns(columns)}`;
}

function onlyOneColumn(table: CsvTable): string {
  return `the file has only one column (${listColumns(table.columns)}): it needs a text column and a label column, separated by a comma, semicolon, tab or |`;
}

function onlyOneKey(table: CsvTable): string {
  return `the records have only one key (${listColumns(table.columns)}): each needs a text and a label, such as {"text": "great film", "label": "positive"}`;
}
