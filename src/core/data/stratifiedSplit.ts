/**
 * Train/validation split that keeps each class's share: per class, a seeded shuffle decides which
 * items go to validation. The same items, fraction and seed always give the same split.
 */
import { seededRandom, shuffle } from '../random';
import { DEFAULT_SETTINGS } from '../settings/trainingSettings';

export interface Split<T> {
  train: T[];
  validation: T[];
}

/**
 * How many of a class of `size` items go to validation (see stratifiedSplit): the data checks
 * tell people about small classes with the same numbers the split will use.
 */
export function validationCount(size: number, fraction: number): number {
  if (!(fraction > 0) || size < 2) return 0;
  return Math.min(Math.max(Math.round(fraction * size), 1), size - 1);
}

/**
 * Per class (in order of first appearance), round(fraction × class size) items go to validation,
 * but at least one when the class has two or more items and fraction > 0, and never the whole
 * class: one item always stays in train, so a class of one trains and is not validated.
 * Both parts keep the items' original order; every item lands in exactly one of them.
 */
export function stratifiedSplit<T>(items: T[], labelOf: (t: T) => string, fraction = DEFAULT_SETTINGS.validationFraction, seed: number): Split<T> {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`validation fraction must be in [0, 1), got ${fraction}`);
  const byClass = new Map<string, number[]>();
  items.forEach((item, i) => {
    const label = labelOf(item);
    const members = byClass.get(label);
    if (members) members.push(i);
    else byClass.set(label, [i]);
  });

  const random = seededRandom(seed);
  const inValidation = new Uint8Array(items.length);
  for (const members of byClass.values()) {
    const take = validationCount(members.length, fraction);
    const order = shuffle(members.slice(), random);
    for (let k = 0; k < take; k++) inValidation[order[k]!] = 1;
  }

  const train: T[] = [];
  const validation: T[] = [];
  items.forEach((item, i) => (inValidation[i] ? validation : train).push(item));
  return { train, validation };
}
