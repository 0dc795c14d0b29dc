/**
 * An ensemble's text answers scored from hand-built member outputs: each member, mean, best, the
 * majority vote and the most confident answer, every number worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { combineAnswers } from '../../../src/core/eval/answerVote';
import { scoreTextAnswers } from '../../../src/core/eval/textEnsembleScores';

// Three prompts on three questions, each answer with its mean log-probability. Targets: "Paris", "the Nile", "1969".
const targets = ['Paris', 'the Nile', '1969'];
const outputs = [
  // Two say London; the lone "Paris." is the most confident: vote wrong, most confident right.
  { members: ['London', 'Paris.', 'london'], confidences: [-0.9, -0.1, -0.8] },
  // All agree after normalisation but "nile river"; the most confident is that one.
  { members: ['Nile', 'The Nile', 'nile river'], confidences: [-0.5, -0.6, -0.05] },
  // Two say 1969; the most confident says "July 1969": vote right, most confident half right (F1 2/3).
  { members: ['1969', 'July 1969', '1969'], confidences: [-1, -0.3, -2] },
];
const answers = outputs.map((o) => ({ members: o.members, ...combineAnswers(o.members, o.confidences) }));

describe('combineAnswers', () => {
  it('votes over normalised answers (its surest voter writes it) and takes the most confident apart', () => {
    // London and london are one answer with two voters; its surer voter (-0.8) wrote "london".
    expect(answers[0]).toMatchObject({ answer: 'london', confident: 'Paris.' });
    // Nile and The Nile: two voters; the surer (-0.5) wrote "Nile".
    expect(answers[1]).toMatchObject({ answer: 'Nile', confident: 'nile river' });
    expect(answers[2]).toMatchObject({ answer: '1969', confident: 'July 1969' });
  });
});

describe('scoreTextAnswers', () => {
  const s = scoreTextAnswers(answers, targets);

  it('scores each member by exact match and token F1', () => {
    // prompt 1: London ✗, Nile ✓, 1969 ✓ → EM 2/3, F1 2/3
    expect(s.members[0]!.exactMatch).toBeCloseTo(2 / 3, 12);
    expect(s.members[0]!.f1).toBeCloseTo(2 / 3, 12);
    // prompt 2: Paris ✓, The Nile ✓, July 1969 ✗ (P 1/2, R 1 → F1 2/3) → EM 2/3, F1 (1 + 1 + 2/3) / 3 = 8/9
    expect(s.members[1]!.exactMatch).toBeCloseTo(2 / 3, 12);
    expect(s.members[1]!.f1).toBeCloseTo(8 / 9, 12);
    // prompt 3: london ✗, "nile river" (P 1/2, R 1 → 2/3) ✗, 1969 ✓ → EM 1/3, F1 (0 + 2/3 + 1) / 3 = 5/9
    expect(s.members[2]!.exactMatch).toBeCloseTo(1 / 3, 12);
    expect(s.members[2]!.f1).toBeCloseTo(5 / 9, 12);
  });

  it('gives the mean, the best (exact match, then F1) and both combinations', () => {
    expect(s.mean.exactMatch).toBeCloseTo((2 / 3 + 2 / 3 + 1 / 3) / 3, 12);
    expect(s.mean.f1).toBeCloseTo((2 / 3 + 8 / 9 + 5 / 9) / 3, 12);
    // prompts 1 and 2 tie on exact match; prompt 2 has the better F1
    expect(s.best).toEqual(s.members[1]);
    // vote: london ✗, Nile ✓, 1969 ✓
    expect(s.ensemble.exactMatch).toBeCloseTo(2 / 3, 12);
    expect(s.ensemble.f1).toBeCloseTo(2 / 3, 12);
    // most confident: Paris ✓, nile river ✗ (2/3), July 1969 ✗ (2/3)
    expect(s.confident.exactMatch).toBeCloseTo(1 / 3, 12);
    expect(s.confident.f1).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 12);
  });

  it('is one member throughout for a single prompt', () => {
    const one = scoreTextAnswers([{ members: ['Paris'], answer: 'Paris', confident: 'Paris' }], ['paris']);
    expect(one.members).toEqual([{ exactMatch: 1, f1: 1 }]);
    expect(one.mean).toEqual(one.members[0]);
    expect(one.ensemble).toEqual(one.members[0]);
    expect(one.confident).toEqual(one.members[0]);
  });
});
