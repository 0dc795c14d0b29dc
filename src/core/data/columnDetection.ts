/**
 * Guess which column holds the text and which the label, so that dropping a typical file needs no
 * questions. The guess is only a default: the UI shows it and lets the user pick other columns.
 *
 * Label column, first match wins:
 *   1. a column named like a label (LABEL_NAMES, exact or as a word of the name: "airline_sentiment")
 *      whose values look categorical (see isCategorical);
 *   2. a column named like a label with short values (average ≤ 50 characters), at most 50 distinct
 *      ones or at most half as many as filled rows: so a tiny file, a single class or 60 classes
 *      still get their named column, and readLabeledCsv then says what is wrong, which is more
 *      useful than "no label column found" (a "y" of all-different numbers is not taken);
 *   3. any other categorical column, the one with the fewest distinct values (ties: the rightmost;
 *      labels are usually last), never a column named like a text column.
 * Text column, among the rest: one named like a text column (TEXT_NAMES, exact before word match,
 * in list order) that is not all numbers ("question_id"), else the one with the longest average
 * value that is not all numbers.
 */
import { ANSWER_NAMES, isNumberLike, LABEL_NAMES, MAX_CATEGORICAL_VALUES, TEXT_NAMES } from './columnNames';
import type { CsvTable } from './csvTable';

export interface DetectedColumns {
  text: string;
  label: string;
}

export { LABEL_NAMES, MAX_CATEGORICAL_VALUES, TEXT_NAMES } from './columnNames';

/** Label values are short; a column averaging more characters than this is text, not a label. */
const MAX_LABEL_AVERAGE_LENGTH = 50;
/** Distinct values are counted exactly up to here (then "many"): bounded memory on huge files. */
const DISTINCT_CAP = 10_000;

export interface ColumnStats {
  name: string;
  /** Rows with a non-blank value. */
  filled: number;
  /** Distinct trimmed non-blank values, capped at DISTINCT_CAP + 1. */
  distinct: number;
  /** Mean length in characters of the trimmed non-blank values. */
  averageLength: number;
  /** Every non-blank value is a number. */
  numeric: boolean;
}

export function columnStats(table: CsvTable): ColumnStats[] {
  return table.columns.map((name, j) => {
    const seen = new Set<string>();
    let filled = 0;
    let totalLength = 0;
    let numeric = true;
    for (const row of table.rows) {
      const value = (row[j] ?? '').trim();
      if (value === '') continue;
      filled++;
      totalLength += value.length;
      if (numeric && !isNumberLike(value)) numeric = false;
      if (seen.size <= DISTINCT_CAP) seen.add(value);
    }
    return { name, filled, distinct: seen.size, averageLength: filled ? totalLength / filled : 0, numeric: numeric && filled > 0 };
  });
}


/** 2–50 distinct short values, at most half as many as filled rows (two values always qualify). */
export function isCategorical(s: ColumnStats): boolean {
  return (
    s.distinct >= 2 &&
    s.distinct <= MAX_CATEGORICAL_VALUES &&
    s.distinct <= Math.max(2, s.filled / 2) &&
    s.averageLength <= MAX_LABEL_AVERAGE_LENGTH
  );
}

/**
 * The text and label columns, or undefined when no sensible pair exists (fewer than two columns,
 * or nothing that looks like a label). `fixed` pins one (or both) of them, e.g. when the user chose
 * the label column and the text column is to be guessed; it must name existing columns.
 */
export function detectColumns(table: CsvTable, fixed: Partial<DetectedColumns> = {}): DetectedColumns | undefined {
  const stats = columnStats(table).filter((s) => s.filled > 0 || s.name === fixed.text || s.name === fixed.label);
  if (fixed.text !== undefined && fixed.label !== undefined) return fixed.text === fixed.label ? undefined : { text: fixed.text, label: fixed.label };

  const label = fixed.label ?? pickLabel(stats.filter((s) => s.name !== fixed.text));
  if (label === undefined) return undefined;
  const text = fixed.text ?? pickText(stats.filter((s) => s.name !== label));
  if (text === undefined || text === label) return undefined;
  return { text, label };
}

function pickLabel(stats: ColumnStats[]): string | undefined {
  const named = byName(stats, LABEL_NAMES);
  const categoricalNamed = named.find(isCategorical);
  if (categoricalNamed) return categoricalNamed.name;
  const repeatingNamed = named.find(
    (s) =>
      s.filled > 0 &&
      s.averageLength <= MAX_LABEL_AVERAGE_LENGTH &&
      (s.distinct <= MAX_CATEGORICAL_VALUES || s.distinct <= s.filled / 2),
  );
  if (repeatingNamed) return repeatingNamed.name;

  let best: ColumnStats | undefined;
  for (const s of stats) {
    if (!isCategorical(s) || nameRank(s.name, TEXT_NAMES) !== undefined) continue;
    if (!best || s.distinct <= best.distinct) best = s;
  }
  // Nothing categorical: a text-to-text file's answer column, if one is named so.
  return best?.name ?? byName(stats, ANSWER_NAMES).find((s) => !s.numeric)?.name;
}

function pickText(stats: ColumnStats[]): string | undefined {
  const named = byName(stats, TEXT_NAMES).find((s) => s.filled > 0 && !s.numeric);
  if (named) return named.name;
  let best: ColumnStats | undefined;
  for (const s of stats) {
    if (s.filled === 0 || s.numeric) continue;
    if (!best || s.averageLength > best.averageLength) best = s;
  }
  return best?.name;
}

/** The columns whose names match `names`, best match first (exact before word match, then list order). */
function byName(stats: ColumnStats[], names: readonly string[]): ColumnStats[] {
  const ranked: { s: ColumnStats; rank: number }[] = [];
  for (const s of stats) {
    const rank = nameRank(s.name, names);
    if (rank !== undefined) ranked.push({ s, rank });
  }
  return ranked.sort((a, b) => a.rank - b.rank).map((r) => r.s);
}

/**
 * 0.. for an exact match of the normalised name ("Gold Label" → "gold_label"), names.length.. for a
 * match of one of its words ("review_text", "sentence1", "tweetText"), undefined for none.
 */
function nameRank(name: string, names: readonly string[]): number | undefined {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  const exact = names.indexOf(words.join('_'));
  if (exact >= 0) return exact;
  let best: number | undefined;
  for (const word of words) {
    const i = names.indexOf(word.replace(/\d+$/, ''));
    if (i >= 0 && (best === undefined || i < best)) best = i;
  }
  return best === undefined ? undefined : names.length + best;
}
