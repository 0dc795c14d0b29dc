/**
 * Sanity checks before training, each a note rather than a refusal: the data trains either way,
 * but these are the things that make a good-looking accuracy mean little.
 *   - leakage: exact duplicate texts, which a random validation split puts on both sides, and test
 *     rows whose text is also a training row;
 *   - imbalance: with one class far larger than another, always answering it already scores well,
 *     so the majority-class baseline is the number to beat (it is always reported);
 *   - small classes: fewer examples than the validation split needs to hold one out (a class of
 *     one is never validated; a class of three gives up a third of its examples).
 */
import type { LabeledExample } from '../task/task';
import { validationCount } from './stratifiedSplit';

/** The largest class this many times the smallest counts as very imbalanced. */
export const IMBALANCE_RATIO = 4;

export interface DatasetChecks {
  /** The most frequent label (the first of equals) and the accuracy of always answering it. */
  majority: { label: string; count: number; accuracy: number };
  /** The smallest class, for the imbalance note. */
  minority: { label: string; count: number };
  /** The largest class is at least IMBALANCE_RATIO times the smallest. */
  imbalanced: boolean;
  /** Classes with fewer examples than the split needs, with what the split will do to them. */
  smallClasses: Array<{ label: string; count: number; validation: number; needed: number }>;
  /** Rows whose text repeats an earlier row's; distinct texts that repeat; of those, with different labels. */
  duplicates: { rows: number; texts: number; conflicting: number; example?: string };
  /** Test rows whose text is also in the training file. */
  testOverlap?: { rows: number; of: number; example?: string };
  /** Validation rows whose text is also a training row, when the split itself is known (the CLI). */
  splitOverlap?: { rows: number; of: number; example?: string };
}

export interface CheckOptions {
  /** The share of each class held out for validation (0 for none). */
  validationFraction: number;
  /** An out-of-domain test set, checked for rows that are also training rows. */
  test?: readonly LabeledExample[];
  /** The actual split, when known, to count the validation rows that are also training rows. */
  split?: { train: readonly LabeledExample[]; validation: readonly LabeledExample[] };
}

export function checkDataset(examples: readonly LabeledExample[], options: CheckOptions): DatasetChecks {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  let majority = { label: '', count: 0 };
  let minority = { label: '', count: Infinity };
  for (const [label, count] of counts) {
    if (count > majority.count) majority = { label, count };
    if (count < minority.count) minority = { label, count };
  }
  if (counts.size === 0) minority = { label: '', count: 0 };

  const f = options.validationFraction;
  const needed = f > 0 ? Math.max(2, Math.ceil(0.5 / f - 1e-9)) : 0;
  const smallClasses = f > 0 ? [...counts].filter(([, count]) => count < needed).map(([label, count]) => ({ label, count, validation: validationCount(count, f), needed })) : [];

  const checks: DatasetChecks = {
    majority: { ...majority, accuracy: examples.length ? majority.count / examples.length : 0 },
    minority,
    imbalanced: counts.size >= 2 && majority.count >= IMBALANCE_RATIO * minority.count,
    smallClasses,
    duplicates: duplicates(examples),
  };
  if (options.test) checks.testOverlap = overlap(examples, options.test);
  if (options.split) checks.splitOverlap = overlap(options.split.train, options.split.validation);
  return checks;
}

function duplicates(examples: readonly LabeledExample[]): DatasetChecks['duplicates'] {
  const labelsOf = new Map<string, Set<string>>();
  const seen = new Map<string, number>();
  let rows = 0;
  let example: string | undefined;
  for (const e of examples) {
    const n = seen.get(e.text) ?? 0;
    seen.set(e.text, n + 1);
    if (n > 0) {
      rows++;
      example ??= e.text;
    }
    const labels = labelsOf.get(e.text);
    if (labels) labels.add(e.label);
    else labelsOf.set(e.text, new Set([e.label]));
  }
  let texts = 0;
  let conflicting = 0;
  for (const [text, n] of seen) {
    if (n < 2) continue;
    texts++;
    if (labelsOf.get(text)!.size > 1) conflicting++;
  }
  return { rows, texts, conflicting, ...(example === undefined ? {} : { example }) };
}

function overlap(train: readonly LabeledExample[], heldOut: readonly LabeledExample[]): { rows: number; of: number; example?: string } {
  const texts = new Set(train.map((e) => e.text));
  let rows = 0;
  let example: string | undefined;
  for (const e of heldOut) {
    if (!texts.has(e.text)) continue;
    rows++;
    example ??= e.text;
  }
  return { rows, of: heldOut.length, ...(example === undefined ? {} : { example }) };
}

/** Each check that found something, as a sentence (the CLI prints them; the studio words its own). */
export function describeChecks(c: DatasetChecks, validationFraction: number): string[] {
  const out: string[] = [];
  const pct = (x: number) => `${Number((100 * x).toFixed(1))}%`;
  if (c.splitOverlap && c.splitOverlap.rows > 0) {
    out.push(`${c.splitOverlap.rows} of the ${c.splitOverlap.of} validation examples also ${c.splitOverlap.rows === 1 ? 'appears' : 'appear'} in training (exact duplicates, e.g. ${q(c.splitOverlap.example!)}): validation accuracy will look better than it is; remove duplicate rows`);
  } else if (!c.splitOverlap && c.duplicates.rows > 0) {
    out.push(`${c.duplicates.rows} rows repeat the text of an earlier row (e.g. ${q(c.duplicates.example!)}): a random validation split puts copies of training rows in validation, which makes validation accuracy look better than it is; remove duplicate rows`);
  }
  if (c.duplicates.conflicting > 0) out.push(`${c.duplicates.conflicting} ${c.duplicates.conflicting === 1 ? 'text appears' : 'texts appear'} with different labels`);
  if (c.testOverlap && c.testOverlap.rows > 0) {
    out.push(`${c.testOverlap.rows} of the ${c.testOverlap.of} test examples also ${c.testOverlap.rows === 1 ? 'appears' : 'appear'} in the training data (e.g. ${q(c.testOverlap.example!)}): the test score is not out-of-sample for them`);
  }
  if (c.imbalanced) {
    out.push(`the classes are very imbalanced (${q(c.majority.label)}: ${c.majority.count}, ${q(c.minority.label)}: ${c.minority.count}): always answering ${q(c.majority.label)} scores ${pct(c.majority.accuracy)}, the accuracy to beat`);
  }
  for (const s of c.smallClasses) {
    const what =
      s.validation === 0
        ? `so it cannot be validated (a class needs ${s.needed} for a ${pct(validationFraction)} validation split)`
        : `fewer than a ${pct(validationFraction)} validation split needs (${s.needed}): ${s.validation} of them will be held out for validation, ${s.count - s.validation} left to train on`;
    out.push(`label ${q(s.label)} has only ${s.count} ${s.count === 1 ? 'example' : 'examples'}, ${what}`);
  }
  return out;
}

const q = (s: string) => `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
