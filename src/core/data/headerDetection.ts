/**
 * Is the first row of a delimited file a header (column names) or the first example? Many real
 * datasets ship without a header (rt-polarity, most TSVs from research code), and taking their
 * first sentence as column names silently loses an example and names the columns after it.
 *
 * Each column of the first row is compared with the rest of that column (a sample of rows):
 *   evidence that it is data:   the cell is one of the column's repeated values ("1" over 1/-1),
 *                               it is a number in a numeric column, it reads like a sentence;
 *   evidence that it is a name: it is a usual column name ("text", "label", "id"), it is not a
 *                               number over a numeric column, it is not one of a categorical
 *                               column's values ("sentiment" over pos/neg).
 * Names the caller asks for by name (--text-column review) that are in the first row make it a
 * header outright. Without evidence either way the first row is a header, as spreadsheets assume.
 */
import { isNumberLike, LABEL_NAMES, MAX_CATEGORICAL_VALUES, TEXT_NAMES } from './columnNames';

export type HeaderMode = 'yes' | 'no' | 'auto';

export interface HeaderDecision {
  /** The first row holds column names (else it is the first data row). */
  hasHeader: boolean;
  /** Decided by looking at the data ('auto'), rather than chosen. */
  detected: boolean;
  /** Why, as short clauses ("'1' is also a value of column 1 (in 599 other rows)"); empty when chosen. */
  evidence: string[];
}

/** Rows after the first that the comparison looks at: enough to see a column's values, cheap on huge files. */
export const HEADER_SAMPLE_ROWS = 500;
/** Columns compared: wide files are decided on their first columns. */
const MAX_COLUMNS = 64;
/** A cell this long, or with this many words, reads as a sentence rather than a column name. */
const SENTENCE_CHARS = 40;
const SENTENCE_WORDS = 6;

/** Names that are columns, not values, beyond the text and label names the column detection knows. */
const OTHER_NAMES = ['id', 'idx', 'index', 'no', 'name', 'title', 'source', 'lang', 'language', 'date', 'split', 'score', 'url', 'author', 'user', 'subject'];
const KNOWN_NAMES = new Set([...LABEL_NAMES, ...TEXT_NAMES, ...OTHER_NAMES]);

export interface HeaderOptions {
  /** Column names the caller expects (asked for by name): a first row holding one is a header. */
  columnNames?: readonly string[];
}

/**
 * `first`: the first non-blank row; `sample`: the rows after it (up to HEADER_SAMPLE_ROWS are
 * read). 'yes' and 'no' are returned as chosen.
 */
export function decideHeader(mode: HeaderMode, first: readonly string[], sample: readonly (readonly string[])[], options: HeaderOptions = {}): HeaderDecision {
  if (mode !== 'auto') return { hasHeader: mode === 'yes', detected: false, evidence: [] };
  const cells = first.map((c) => c.trim());

  const asked = new Set((options.columnNames ?? []).map((n) => n.trim().toLowerCase()));
  const named = cells.find((c) => c !== '' && asked.has(c.toLowerCase()));
  if (named !== undefined) return { hasHeader: true, detected: true, evidence: [`${q(named)} is a column asked for by name`] };
  // One row only: nothing to compare it with. Reading it as the header gives the clearer message ("no data rows").
  if (sample.length === 0) return { hasHeader: true, detected: true, evidence: [] };

  const rows = sample.slice(0, HEADER_SAMPLE_ROWS);
  const asData: Clue[] = [];
  const asHeader: Clue[] = [];
  for (let j = 0; j < Math.min(cells.length, MAX_COLUMNS); j++) {
    const cell = cells[j]!;
    if (cell === '') continue;
    const column = `column ${j + 1}`;
    const values = columnValues(rows, j);

    const name = knownName(cell);
    if (name === 'exact') asHeader.push({ column: j, weight: 3, text: `${q(cell)} is a usual column name` });
    else if (name === 'word') asHeader.push({ column: j, weight: 1, text: `${q(cell)} looks like a column name` });

    if (values.numeric) {
      if (isNumberLike(cell)) asData.push({ column: j, weight: 2, text: `${q(cell)} is a number, like the rest of ${column}` });
      else asHeader.push({ column: j, weight: 2, text: `${q(cell)} is not a number but the rest of ${column} is` });
    }

    const repeats = values.counts.get(cell) ?? 0;
    if (values.categorical) {
      if (repeats > 0) asData.push({ column: j, weight: 3, text: `${q(cell)} is also a value of ${column} (in ${repeats.toLocaleString('en-US')} of the next ${plural(rows.length, 'row')})` });
      else if (!isNumberLike(cell)) asHeader.push({ column: j, weight: 1, text: `${q(cell)} is not one of the values of ${column}` });
    } else if (repeats > 0 && name === undefined) {
      asData.push({ column: j, weight: 1, text: `${q(cell)} is also a value of ${column}` });
    }

    if (looksLikeSentence(cell) && name === undefined) asData.push({ column: j, weight: 2, text: `${q(cell)} reads like a sentence, not a column name` });
  }

  const score = (clues: Clue[]) => clues.reduce((s, c) => s + c.weight, 0);
  const hasHeader = score(asData) <= score(asHeader);
  return { hasHeader, detected: true, evidence: strongest(hasHeader ? asHeader : asData) };
}

/** "The first row is read as data: '1' is also a value of column 1 …", for the UI and the CLI. */
export function describeHeader(d: HeaderDecision): string {
  const what = d.hasHeader ? 'the first row is read as column names' : 'the first row is read as data (an example), not as column names';
  if (!d.detected) return `${what}, as chosen`;
  if (d.evidence.length === 0) return d.hasHeader ? `${what} (nothing in it looked like data)` : what;
  return `${what}: ${d.evidence.join('; ')}`;
}

interface Clue {
  weight: number;
  text: string;
  column: number;
}

/** The two strongest clues from different columns: "'1' is a value of column 1; '…' reads like a sentence". */
function strongest(clues: Clue[]): string[] {
  const best = new Map<number, Clue>();
  for (const c of clues) if ((best.get(c.column)?.weight ?? 0) < c.weight) best.set(c.column, c);
  return [...best.values()]
    .sort((a, b) => b.weight - a.weight || a.column - b.column)
    .slice(0, 2)
    .map((c) => c.text);
}

interface ColumnValues {
  /** How often each distinct trimmed value occurs (stops growing past MAX_CATEGORICAL_VALUES + 1 keys). */
  counts: Map<string, number>;
  numeric: boolean;
  /** 2–50 distinct values, repeated (at most half as many distinct values as filled rows), short. */
  categorical: boolean;
}

function columnValues(rows: readonly (readonly string[])[], j: number): ColumnValues {
  const counts = new Map<string, number>();
  let filled = 0;
  let numeric = true;
  let totalLength = 0;
  let overflow = false;
  for (const row of rows) {
    const value = (row[j] ?? '').trim();
    if (value === '') continue;
    filled++;
    totalLength += value.length;
    if (numeric && !isNumberLike(value)) numeric = false;
    const seen = counts.get(value);
    if (seen !== undefined) counts.set(value, seen + 1);
    else if (counts.size <= MAX_CATEGORICAL_VALUES) counts.set(value, 1);
    else overflow = true;
  }
  const distinct = counts.size;
  const categorical = !overflow && distinct >= 1 && distinct <= MAX_CATEGORICAL_VALUES && filled >= 2 && distinct <= filled / 2 && totalLength / filled <= 50;
  return { counts, numeric: numeric && filled > 0, categorical };
}

/** 'exact' for "label", "Review Text" → review_text is not exact; 'word' when a short cell has a known word. */
function knownName(cell: string): 'exact' | 'word' | undefined {
  const words = cell
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.replace(/(?<=[a-z])\d+$/, ''));
  if (words.length === 0) return undefined;
  if (KNOWN_NAMES.has(words.join('_'))) return 'exact';
  // A word match only counts in a short cell: "I sent a text" is a sentence that mentions a name.
  if (words.length <= 3 && cell.length <= 30 && words.some((w) => KNOWN_NAMES.has(w))) return 'word';
  return undefined;
}

function looksLikeSentence(cell: string): boolean {
  return cell.length > SENTENCE_CHARS || cell.split(/\s+/).length >= SENTENCE_WORDS;
}

/** Quoted and cut short: a first-row cell may be a whole paragraph. */
const q = (s: string) => `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : `${one}s`}`;
