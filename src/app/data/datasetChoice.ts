/** The pure parts of the Data step: a parsed table + chosen columns → what the studio trains on. */
import type { CsvTable } from '../../core/data/csvTable';
import { buildExamples, type BuiltExamples } from '../../core/data/dataset';
import type { TextEncodingName } from '../../core/data/decodeText';
import { checkLabelTexts } from '../../core/data/labelTexts';
import type { LabeledExample } from '../../core/task/task';
import type { TestSetStatus } from './TestSetInput';
import type { CsvFileState } from './useCsvFile';

/** The training data the Data step hands the studio: examples, the columns they came from, and what was repaired. */
export interface DatasetChoice {
  fileName: string;
  examples: LabeledExample[];
  textColumn: string;
  labelColumn: string;
  /** Every column of the file, for checking the input template's {names}. */
  columns: string[];
  /** Examples per label, labels in order of first appearance. */
  classCounts: Array<{ label: string; count: number }>;
  /** Everything repaired or skipped on the way, as sentences (none blocking). */
  warnings: string[];
  /** The encoding the file was read in: 'utf-8', 'utf-16le', 'utf-16be' or 'windows-1252'. */
  encoding: string;
  /**
   * Every label → the text the model is trained to write for it (the label itself unless edited
   * in the label table). The studio passes it to the worker as `task.rename`; it names every label,
   * so no label ever falls through to an inherited property ("constructor").
   */
  labelTexts: Record<string, string>;
  /** Always answering the most frequent label: the accuracy a trained prompt has to beat. */
  majorityBaseline: { label: string; accuracy: number };
  testSet?: { fileName: string; examples: LabeledExample[] };
}

const ENCODING_NAMES: Record<string, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', 'windows-1252': 'Windows-1252' };
const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe (|)' };

export const encodingName = (e: string) => ENCODING_NAMES[e] ?? e;
/** JSON records have no delimiter (''). */
export const delimiterName = (d: string) => (d === '' ? 'JSON records' : `${DELIMITER_NAMES[d] ?? `‘${d}’`}-separated`);

/** "1,204 examples, 3 classes, UTF-8, comma-separated"; a text task's targets are answers, not classes. */
export function summaryLine(examples: number, classes: number, encoding: string, delimiter?: string, textTask = false): string {
  const n = (k: number, one: string, many: string) => `${k.toLocaleString('en-US')} ${k === 1 ? one : many}`;
  const targets = textTask ? n(classes, 'distinct answer', 'distinct answers') : n(classes, 'class', 'classes');
  const parts = [n(examples, 'example', 'examples'), targets, encodingName(encoding)];
  if (delimiter !== undefined) parts.push(delimiterName(delimiter));
  return parts.join(', ');
}

/** Before the columns are chosen: "120 rows, 4 columns, UTF-8, comma-separated". */
export function tableSummaryLine(table: CsvTable, encoding: string): string {
  const rows = table.rows.length;
  const columns = table.columns.length;
  return [
    `${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'}`,
    `${columns} ${columns === 1 ? 'column' : 'columns'}`,
    encodingName(encoding),
    // With one column no separator was found; naming the default would mislead.
    ...(columns > 1 ? [delimiterName(table.delimiter)] : []),
  ].join(', ');
}

/** The training data, or undefined when a blocking problem stops training. */
export function makeChoice(
  fileName: string,
  table: CsvTable,
  encoding: TextEncodingName,
  textColumn: string,
  labelColumn: string,
  built: BuiltExamples | undefined,
  labelTexts: Record<string, string>,
): DatasetChoice | undefined {
  if (!built || built.problems.fatal.length > 0 || built.examples.length === 0) return undefined;
  // Two labels trained to write the same text cannot be told apart: training waits until they differ.
  if (checkLabelTexts(labelTexts).some((i) => i.severity === 'blocking')) return undefined;
  let majority = { label: '', count: 0 };
  for (const [label, count] of built.classCounts) if (count > majority.count) majority = { label, count };
  const warnings: string[] = [];
  if (encoding === 'windows-1252') warnings.push('the file is not UTF-8: it was read as Windows-1252 (Western European)');
  warnings.push(...table.warnings, ...built.problems.warnings);
  return {
    fileName,
    examples: built.examples,
    textColumn,
    labelColumn,
    columns: [...table.columns],
    classCounts: Array.from(built.classCounts, ([label, count]) => ({ label, count })),
    warnings,
    encoding,
    labelTexts,
    majorityBaseline: { label: majority.label, accuracy: majority.count / built.examples.length },
  };
}

export interface TestSetResult {
  status: TestSetStatus | undefined;
  testSet: DatasetChoice['testSet'];
}

/** The second CSV read with the training file's column names (exact, else ignoring case), and the template's other columns. */
export function makeTestSet(state: CsvFileState, textColumn: string, labelColumn: string, trainLabels: ReadonlySet<string> | undefined, fields: readonly string[] = []): TestSetResult {
  switch (state.status) {
    case 'empty':
      return { status: undefined, testSet: undefined };
    case 'loading':
      return { status: { kind: 'loading', fileName: state.fileName, progress: state.progress }, testSet: undefined };
    case 'failed':
      return { status: { kind: 'error', fileName: state.fileName, message: state.failure.message }, testSet: undefined };
  }
  const { fileName, table } = state;
  if (!textColumn || !labelColumn) {
    return { status: { kind: 'error', fileName, message: 'choose the text and label columns of the training file first' }, testSet: undefined };
  }
  const built = buildExamples(table, textColumn, labelColumn, fields);
  // A test set may well hold one class only; anything else fatal means it cannot be used.
  const fatal = built.problems.fatal.find((f) => f.code !== 'too-few-classes');
  if (fatal) return { status: { kind: 'error', fileName, message: fatal.message }, testSet: undefined };
  const unknownLabels = trainLabels ? Array.from(built.classCounts.keys()).filter((l) => !trainLabels.has(l)) : [];
  return {
    status: {
      kind: 'ready',
      fileName,
      count: built.examples.length,
      skipped: built.problems.emptyText.count + built.problems.missingLabel.count,
      unknownLabels,
    },
    testSet: { fileName, examples: built.examples },
  };
}
