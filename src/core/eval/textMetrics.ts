/**
 * The SQuAD answer metrics (Rajpurkar et al. 2016, the official evaluate-v1.1 script): both texts are
 * normalised (lower case, punctuation and the articles a/an/the removed, spaces collapsed), then
 * exact match compares the normalised strings and F1 the bags of normalised words.
 */

/** ASCII punctuation, as Python's `string.punctuation`, which the official script removes. */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

export function normalizeAnswer(text: string): string {
  // Articles as whole words; filtering words (rather than JS's ASCII-only \b) keeps "café a" right.
  const words = text.toLowerCase().replace(PUNCTUATION, '').split(/\s+/);
  return words.filter((w) => w !== '' && w !== 'a' && w !== 'an' && w !== 'the').join(' ');
}

export function exactMatch(prediction: string, target: string): boolean {
  return normalizeAnswer(prediction) === normalizeAnswer(target);
}

/** Token-level F1 of the normalised words (a multiset overlap); 0 when either side is empty but not both. */
export function tokenF1(prediction: string, target: string): number {
  const p = normalizeAnswer(prediction).split(' ').filter(Boolean);
  const t = normalizeAnswer(target).split(' ').filter(Boolean);
  // As SQuAD 2.0's script: an empty answer to an empty target scores 1, to anything else 0.
  if (p.length === 0 || t.length === 0) return p.length === t.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const w of t) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of p) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      common++;
      counts.set(w, c - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / p.length;
  const recall = common / t.length;
  return (2 * precision * recall) / (precision + recall);
}

export interface TextScores {
  /** Share of answers equal to their target after normalisation. */
  exactMatch: number;
  /** Mean token F1. */
  f1: number;
}

export function textScores(predictions: readonly string[], targets: readonly string[]): TextScores {
  if (predictions.length !== targets.length) throw new Error(`${predictions.length} answers but ${targets.length} targets`);
  const n = predictions.length;
  if (n === 0) return { exactMatch: 0, f1: 0 };
  let em = 0;
  let f1 = 0;
  predictions.forEach((p, i) => {
    if (exactMatch(p, targets[i]!)) em++;
    f1 += tokenF1(p, targets[i]!);
  });
  return { exactMatch: em / n, f1: f1 / n };
}
