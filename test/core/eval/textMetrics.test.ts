import { describe, expect, it } from 'vitest';
import { exactMatch, normalizeAnswer, textScores, tokenF1 } from '../../../src/core/eval/textMetrics';

describe('SQuAD normalisation', () => {
  it('lower-cases, drops punctuation and articles, collapses spaces', () => {
    expect(normalizeAnswer('The Eiffel Tower!')).toBe('eiffel tower');
    expect(normalizeAnswer('  A  cat,\tan apple ')).toBe('cat apple');
    expect(normalizeAnswer("rock'n'roll")).toBe('rocknroll');
    // articles only as whole words, also next to non-ASCII letters
    expect(normalizeAnswer('Théâtre a Paris, theatre')).toBe('théâtre paris theatre');
  });
});

describe('exact match and token F1', () => {
  it('matches after normalisation', () => {
    expect(exactMatch('the Eiffel tower.', 'Eiffel Tower')).toBe(true);
    expect(exactMatch('Eiffel', 'Eiffel Tower')).toBe(false);
  });

  it('computes F1 over bags of words (hand-computed)', () => {
    // pred {eiffel, tower, in, paris}, target {eiffel, tower}: 2 common, P 1/2, R 1, F1 2/3
    expect(tokenF1('Eiffel tower in Paris', 'the Eiffel Tower')).toBeCloseTo(2 / 3, 12);
    // a repeated word counts once per occurrence in the target: 1 common, P 1/2, R 1
    expect(tokenF1('paris paris', 'Paris')).toBeCloseTo(2 / 3, 12);
    // 2 common of 3 and 4 words: P 2/3, R 1/2, F1 = 2·(1/3)/(7/6) = 4/7
    expect(tokenF1('red green blue', 'green red black white')).toBeCloseTo(4 / 7, 12);
    expect(tokenF1('london', 'paris')).toBe(0);
    expect(tokenF1('the', '')).toBe(1);
    expect(tokenF1('', 'paris')).toBe(0);
  });

  it('averages over a set of answers', () => {
    // EM: no, yes, no → 1/3; F1: 0, 1, 1/2 → 1/2
    const s = textScores(['a', 'Paris', 'x y'], ['paris', 'Paris', 'y z']);
    expect(s.exactMatch).toBeCloseTo(1 / 3, 12);
    expect(s.f1).toBeCloseTo(0.5, 12);
    expect(textScores([], [])).toEqual({ exactMatch: 0, f1: 0 });
    expect(() => textScores(['a'], [])).toThrow(/1 answers but 0 targets/);
  });
});
