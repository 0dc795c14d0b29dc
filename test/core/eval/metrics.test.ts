import { describe, expect, it } from 'vitest';
import { answerIds, classificationMetrics, isExactMatch } from '../../../src/core/eval/metrics';

describe('classificationMetrics', () => {
  it('matches a hand-computed 3-class case', () => {
    const truth = [0, 0, 0, 1, 1, 2, 2, 2];
    const predicted = [0, 0, 1, 1, 2, 2, 2, 0];
    const m = classificationMetrics(truth, predicted, 3);
    expect(m.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
    expect(m.accuracy).toBeCloseTo(5 / 8, 12);
    // class 0: tp 2, predicted 3, support 3; class 1: tp 1, predicted 2, support 2; class 2: tp 2, predicted 3, support 3
    const expected = [
      { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
      { precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 },
      { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
    ];
    m.perClass.forEach((c, i) => {
      expect(c.support).toBe(expected[i]!.support);
      expect(c.precision).toBeCloseTo(expected[i]!.precision, 12);
      expect(c.recall).toBeCloseTo(expected[i]!.recall, 12);
      expect(c.f1).toBeCloseTo(expected[i]!.f1, 12);
    });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 3, 12);
  });

  it('gives 0, not NaN, for a class that is never predicted', () => {
    const m = classificationMetrics([0, 1, 2, 2], [0, 1, 1, 0], 3);
    expect(m.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    // class 1: precision 1/2, recall 1 → F1 2/3; class 0: same
    expect(m.perClass[1]!.f1).toBeCloseTo(2 / 3, 12);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 0) / 3, 12);
    const flat = [m.accuracy, m.macroF1, ...m.perClass.flatMap((c) => [c.precision, c.recall, c.f1])];
    expect(flat.every(Number.isFinite)).toBe(true);
  });

  it('is perfect for perfect predictions; classes absent from truth and predictions do not count in macro F1', () => {
    const m = classificationMetrics([1, 0, 1, 0], [1, 0, 1, 0], 3);
    expect(m.accuracy).toBe(1);
    expect(m.macroF1).toBe(1);
    expect(m.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.confusion).toEqual([
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, 0],
    ]);
  });

  it('handles no examples and rejects mismatched or out-of-range input', () => {
    expect(classificationMetrics([], [], 2)).toMatchObject({ accuracy: 0, macroF1: 0 });
    expect(() => classificationMetrics([0], [], 2)).toThrow();
    expect(() => classificationMetrics([2], [0], 2)).toThrow();
  });
});

describe('exact match of generations', () => {
  it('compares ids up to and including the first </s>', () => {
    expect(answerIds([5, 6, 1, 0, 0], 1)).toEqual([5, 6, 1]);
    expect(answerIds([5, 6, 7], 1)).toEqual([5, 6, 7]);
    expect(isExactMatch([5, 6, 1, 0, 0], [5, 6, 1], 1)).toBe(true);
    expect(isExactMatch([5, 6, 1, 9, 9], [5, 6, 1], 1)).toBe(true);
    expect(isExactMatch([5, 6, 7, 1], [5, 6, 1], 1)).toBe(false);
    expect(isExactMatch([5, 6, 7], [5, 6, 7, 1], 1)).toBe(false); // never finished
    expect(isExactMatch([5, 1], [5, 6, 1], 1)).toBe(false);
  });
});
