/**
 * trainingSplit, the split training makes and the studio's Data step shows: given validation rows
 * as they are; otherwise per class for classification, and over all rows for a text task, whose
 * targets are mostly unique (per "class" each would be a class of one and stay in training).
 */
import { describe, expect, it } from 'vitest';
import type { LabeledExample } from '../../../src/core/task/task';
import { trainingSplit } from '../../../src/core/task/trainingSplit';

const countBy = (rows: LabeledExample[]) => {
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.label] = (counts[r.label] ?? 0) + 1;
  return counts;
};
/** 30 rows labelled a and 10 labelled b, interleaved. */
const classes: LabeledExample[] = Array.from({ length: 40 }, (_, i) => ({ text: `row ${i}`, label: i % 4 === 3 ? 'b' : 'a' }));
/** 16 questions with 16 different answers. */
const answers: LabeledExample[] = Array.from({ length: 16 }, (_, i) => ({ text: `question ${i}`, label: `answer ${i}` }));

describe('trainingSplit', () => {
  it('uses given validation rows as they are and trains on every row', () => {
    const validation = [{ text: 'held out', label: 'a' }];
    expect(trainingSplit(classes, { validation, validationFraction: 0.5, seed: 1 })).toEqual({ train: classes, validation });
  });

  it('holds out each class its share for classification: 0.2 × 30 = 6 of a, 0.2 × 10 = 2 of b', () => {
    for (const kind of [undefined, 'classify'] as const) {
      const { train, validation } = trainingSplit(classes, { validationFraction: 0.2, seed: 3, ...(kind ? { kind } : {}) });
      expect(countBy(validation)).toEqual({ a: 6, b: 2 });
      expect(countBy(train)).toEqual({ a: 24, b: 8 });
    }
  });

  it('holds out a share of all rows for a text task: round(0.25 × 16) = 4, where per answer none could go', () => {
    const text = trainingSplit(answers, { validationFraction: 0.25, seed: 1, kind: 'text' });
    expect([text.train.length, text.validation.length]).toEqual([12, 4]);
    expect(new Set([...text.train, ...text.validation]).size).toBe(16);
    expect(trainingSplit(answers, { validationFraction: 0.25, seed: 1, kind: 'classify' }).validation).toEqual([]);
    // 10% of 16 rounds to 2, as the studio's Data step says for such a file.
    expect(trainingSplit(answers, { validationFraction: 0.1, seed: 0, kind: 'text' }).validation).toHaveLength(2);
  });

  it('is the same split for the same seed, so the studio shows the rows training will use', () => {
    const a = trainingSplit(answers, { validationFraction: 0.25, seed: 9, kind: 'text' });
    const b = trainingSplit(answers, { validationFraction: 0.25, seed: 9, kind: 'text' });
    expect(b.validation.map((r) => r.text)).toEqual(a.validation.map((r) => r.text));
  });
});
