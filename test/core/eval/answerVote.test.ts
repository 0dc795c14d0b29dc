import { describe, expect, it } from 'vitest';
import { mostConfidentAnswer, voteAnswers } from '../../../src/core/eval/answerVote';

describe('voteAnswers', () => {
  it('takes the answer most members gave, returning its most confident voter', () => {
    expect(voteAnswers(['paris', 'london', 'paris'], [-1, -0.1, -2])).toBe(0);
    expect(voteAnswers(['paris', 'london', 'paris'], [-3, -0.1, -2])).toBe(2);
  });

  it('breaks a tie by the highest mean log-probability of the voters', () => {
    expect(voteAnswers(['a', 'b'], [-1, -0.5])).toBe(1);
    // x: mean -1, y: mean (-0.2 - 3) / 2 = -1.6, so x, though y has the single most confident voter
    expect(voteAnswers(['x', 'y', 'x', 'y'], [-1, -0.2, -1, -3])).toBe(0);
  });

  it('refuses mismatched inputs', () => {
    expect(() => voteAnswers([], [])).toThrow(/one confidence per answer/);
    expect(() => voteAnswers(['a'], [1, 2])).toThrow(/1 answers and 2 confidences/);
  });
});

describe('mostConfidentAnswer', () => {
  it('takes the single answer with the highest mean log-probability, even against a majority', () => {
    // paris has two voters, but london's one voter is the surest
    const confidences = [-1, -0.1, -2];
    expect(voteAnswers(['paris', 'london', 'paris'], confidences)).toBe(0);
    expect(mostConfidentAnswer(confidences)).toBe(1);
  });

  it('gives a tie to the first member, and refuses no answers', () => {
    expect(mostConfidentAnswer([-0.5, -0.2, -0.2])).toBe(1);
    expect(() => mostConfidentAnswer([])).toThrow(/at least one answer/);
  });
});
