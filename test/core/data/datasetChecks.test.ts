/**
 * The notes before training: duplicates that leak into validation, test rows seen in training,
 * very imbalanced classes with the majority baseline, classes too small for the validation split.
 * Expected numbers are counted from the generated examples, not taken from the implementation.
 */
import { describe, expect, it } from 'vitest';
import { checkDataset, describeChecks } from '../../../src/core/data/datasetChecks';
import { stratifiedSplit } from '../../../src/core/data/stratifiedSplit';

const ex = (text: string, label: string) => ({ text, label });

describe('checkDataset', () => {
  it('the majority baseline is the share of the largest class', () => {
    const examples = [...Array.from({ length: 85 }, (_, i) => ex(`ham ${i}`, 'ham')), ...Array.from({ length: 15 }, (_, i) => ex(`spam ${i}`, 'spam'))];
    const c = checkDataset(examples, { validationFraction: 0.1 });
    expect(c.majority).toEqual({ label: 'ham', count: 85, accuracy: 0.85 });
    expect(c.minority).toEqual({ label: 'spam', count: 15 });
    expect(c.imbalanced).toBe(true); // 85 ≥ 4 × 15
    expect(describeChecks(c, 0.1)).toEqual([`the classes are very imbalanced ('ham': 85, 'spam': 15): always answering 'ham' scores 85%, the accuracy to beat`]);
    const balanced = checkDataset(examples.slice(0, 59).concat(examples.slice(85)), { validationFraction: 0.1 });
    expect(balanced.imbalanced).toBe(false); // 59 < 4 × 15
  });

  it('duplicates: rows that repeat an earlier text, texts that repeat, and those with different labels', () => {
    const examples = [ex('a', 'x'), ex('b', 'y'), ex('a', 'x'), ex('a', 'y'), ex('c', 'x'), ex('b', 'y'), ex('d', 'y')];
    // "a" three times (2 repeats, labels x and y), "b" twice (1 repeat, y only).
    expect(checkDataset(examples, { validationFraction: 0.1 }).duplicates).toEqual({ rows: 3, texts: 2, conflicting: 1, example: 'a' });
  });

  it('leakage counted on the split itself, and between the training file and a test set', () => {
    const examples = Array.from({ length: 200 }, (_, i) => ex(`text ${i % 150}`, i % 2 ? 'pos' : 'neg'));
    const split = stratifiedSplit(examples, (e) => e.label, 0.2, 7);
    const trainTexts = new Set(split.train.map((e) => e.text));
    const expected = split.validation.filter((e) => trainTexts.has(e.text)).length;
    const c = checkDataset(examples, { validationFraction: 0.2, split, test: [ex('text 3', 'pos'), ex('unseen', 'neg'), ex('text 149', 'neg')] });
    expect(c.splitOverlap).toMatchObject({ rows: expected, of: split.validation.length });
    expect(c.testOverlap).toEqual({ rows: 2, of: 3, example: 'text 3' });
    expect(describeChecks(c, 0.2).some((s) => s.startsWith(`${expected} of the ${split.validation.length} validation examples also ${expected === 1 ? 'appears' : 'appear'} in training`))).toBe(expected > 0);
  });

  it('small classes: what the split will hold out of them, with the same rule the split uses', () => {
    const examples = [...Array.from({ length: 50 }, (_, i) => ex(`a${i}`, 'big')), ex('only', 'lonely'), ex('t1', 'trio'), ex('t2', 'trio'), ex('t3', 'trio')];
    const c = checkDataset(examples, { validationFraction: 0.1 });
    // 10% rounds to a whole example from 5 up; below that the split still takes one (never the last).
    expect(c.smallClasses).toEqual([
      { label: 'lonely', count: 1, validation: 0, needed: 5 },
      { label: 'trio', count: 3, validation: 1, needed: 5 },
    ]);
    const split = stratifiedSplit(examples, (e) => e.label, 0.1, 0);
    expect(split.validation.filter((e) => e.label === 'trio')).toHaveLength(1);
    expect(split.validation.filter((e) => e.label === 'lonely')).toHaveLength(0);
    const notes = describeChecks(c, 0.1);
    expect(notes).toContain(`label 'lonely' has only 1 example, so it cannot be validated (a class needs 5 for a 10% validation split)`);
    expect(notes).toContain(`label 'trio' has only 3 examples, fewer than a 10% validation split needs (5): 1 of them will be held out for validation, 2 left to train on`);
    expect(checkDataset(examples, { validationFraction: 0 }).smallClasses).toEqual([]);
  });
});
