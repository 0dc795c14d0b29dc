/**
 * What is wrong with the dropped data, as a list a person can act on: blocking problems (no
 * training possible), warnings (rows skipped, suspicious columns) and notes. DOM-free.
 */
import { describeRows, type CsvTable } from '../../core/data/csvTable';
import type { BuiltExamples, RowProblem } from '../../core/data/dataset';
import type { TextEncodingName } from '../../core/data/decodeText';
import type { CsvFailure } from './csvProtocol';

export type ProblemSeverity = 'blocking' | 'warning' | 'note';

export interface DataProblem {
  severity: ProblemSeverity;
  title: string;
  detail?: string;
}

const q = (s: string) => `‘${s}’`;
const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
const sentence = (s: string) => (/[.!?]$/.test(s) ? capitalize(s) : `${capitalize(s)}.`);
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The one problem a file that could not be read at all has. */
export function failureProblem(fileName: string, failure: CsvFailure): DataProblem {
  switch (failure.code) {
    case 'not-text':
      return {
        severity: 'blocking',
        title: `${q(fileName)} is not a CSV file`,
        detail: `${sentence(failure.message)} In Excel, Numbers or Google Sheets use Save As / Download › CSV, then drop that file here.`,
      };
    case 'empty':
    case 'no-rows':
      return { severity: 'blocking', title: `${q(fileName)} has no data`, detail: sentence(failure.message) };
    case 'too-big':
      return { severity: 'blocking', title: `${q(fileName)} is too big`, detail: sentence(failure.message) };
    default:
      return { severity: 'blocking', title: `${q(fileName)} could not be read`, detail: sentence(failure.message) };
  }
}

export interface TableProblemInput {
  table: CsvTable;
  encoding: TextEncodingName;
  textColumn: string;
  labelColumn: string;
  /** Undefined while the text or label column is not chosen. */
  built: BuiltExamples | undefined;
}

/** Everything worth saying about a parsed table and the chosen columns, blocking problems first. */
export function tableProblems({ table, encoding, textColumn, labelColumn, built }: TableProblemInput): DataProblem[] {
  const blocking: DataProblem[] = [];
  const warnings: DataProblem[] = [];
  const notes: DataProblem[] = [];

  if (encoding === 'windows-1252') {
    notes.push({
      severity: 'note',
      title: 'Read as Windows-1252',
      detail:
        'The file is not UTF-8, so it was read as Windows-1252 (Western European, what Excel on Windows writes). If accented letters look wrong in the preview, save it as “CSV UTF-8” and drop it again.',
    });
  }
  for (const w of table.warnings) {
    // The one-column case gets its own blocking problem below, with what to do.
    if (table.columns.length < 2 && w.startsWith('only one column')) continue;
    warnings.push({ severity: 'warning', title: sentence(w) });
  }

  if (table.columns.length >= 2 && (!textColumn || !labelColumn)) {
    blocking.push({
      severity: 'blocking',
      title: 'Choose the text and label columns',
      detail: `Could not tell which columns hold the text and the label (the columns are ${table.columns.map(q).join(', ')}). Pick them above.`,
    });
  }
  if (!built) {
    if (table.columns.length < 2) blocking.push(oneColumn(table));
    return [...blocking, ...warnings, ...notes];
  }

  const p = built.problems;
  for (const fatal of p.fatal) {
    switch (fatal.code) {
      case 'no-columns':
        blocking.push(table.columns.length < 2 ? oneColumn(table) : { severity: 'blocking', title: 'No usable columns', detail: sentence(fatal.message) });
        break;
      case 'too-few-classes':
        blocking.push({
          severity: 'blocking',
          title: 'Only one class',
          detail: `Every usable row has the label ${q(p.singleClass ?? '')}. Prompt tuning learns to tell labels apart, so it needs at least two different labels: check that ${q(labelColumn)} is the label column, or add examples of another class.`,
        });
        break;
      case 'no-rows':
        blocking.push({ severity: 'blocking', title: 'No usable rows', detail: `${sentence(fatal.message)} Check the text and label columns above.` });
        break;
      default:
        blocking.push({ severity: 'blocking', title: sentence(fatal.message) });
    }
  }

  const covered: string[] = [];
  if (p.emptyText.count > 0) {
    warnings.push(skipped(p.emptyText, 'with empty text', `no text in ${q(textColumn)}`));
    covered.push(`${p.emptyText.count} ${p.emptyText.count === 1 ? 'row' : 'rows'} with no text in `);
  }
  if (p.missingLabel.count > 0) {
    warnings.push(skipped(p.missingLabel, 'without a label', `no label in ${q(labelColumn)}`));
    covered.push(`${p.missingLabel.count} ${p.missingLabel.count === 1 ? 'row' : 'rows'} with no label in `);
  }
  if (p.tooManyClasses !== undefined) {
    warnings.push({
      severity: 'warning',
      title: `${plural(p.tooManyClasses, 'different label')}: is ${q(labelColumn)} really the label column?`,
      detail: 'Prompt tuning works best with a handful of classes; this many usually means a text, ID or number column was picked as the label.',
    });
    covered.push(`${p.tooManyClasses} distinct labels:`);
  }
  // The rest of the core's sentences (labels differing only in case, ...), minus those said above.
  for (const w of p.warnings) if (!covered.some((c) => w.startsWith(c))) warnings.push({ severity: 'warning', title: sentence(w) });

  return [...blocking, ...warnings, ...notes];
}

function skipped(rows: RowProblem, what: string, why: string): DataProblem {
  const listed = describeRows(rows.rows, rows.count);
  return {
    severity: 'warning',
    title: `${plural(rows.count, 'row')} ${what} ${rows.count === 1 ? 'was' : 'were'} skipped`,
    detail: `${capitalize(listed)} ${rows.count === 1 ? 'has' : 'have'} ${why}.`,
  };
}

function oneColumn(table: CsvTable): DataProblem {
  return {
    severity: 'blocking',
    title: 'No usable columns',
    detail: `Only one column was found (${table.columns.map(q).join(', ')}). The file needs a text column and a label column separated by a comma, semicolon, tab or |; if it is a spreadsheet, save it as CSV. If it is plain text, add a header line such as “text,label” and a label to every line.`,
  };
}
