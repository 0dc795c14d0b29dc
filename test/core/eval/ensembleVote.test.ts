import { describe, expect, it } from 'vitest';
import { ensembleVote } from '../../../src/core/eval/ensembleVote';

/** scores[k][i][l] → the flat [K, n, L] layout. */
const flat = (s: number[][][]) => s.flat(2);

describe('ensembleVote', () => {
  it('takes the majority', () => {
    // 3 prompts, 1 example, 3 labels: prompts vote 2, 2, 0
    const s = [[[-3, -2, -1]], [[-3, -2, -1]], [[-0.1, -5, -6]]];
    const d = ensembleVote(flat(s), 3, 1, 3);
    expect(d.votes).toEqual([[2, 2, 0]]);
    expect(d.majority).toEqual([2]);
  });

  it('breaks a tie by the mean log-likelihood', () => {
    // 2 prompts disagree (label 0 vs label 1); mean scores: label0 (-1 + -4)/2 = -2.5, label1 (-3 + -0.5)/2 = -1.75
    const s = [[[-1, -3]], [[-4, -0.5]]];
    const d = ensembleVote(flat(s), 2, 1, 2);
    expect(d.votes).toEqual([[0, 1]]);
    expect(d.majority).toEqual([1]);
    // and the other way round when label 0's mean is higher: (-1 + -1.2)/2 = -1.1 vs (-3 + -1)/2 = -2
    expect(ensembleVote(flat([[[-1, -3]], [[-1.2, -1]]]), 2, 1, 2).majority).toEqual([0]);
  });

  it('mean probability can differ from the majority', () => {
    // Two prompts weakly prefer label 0, one strongly prefers label 1.
    // p(label0) per prompt: σ(0.1)=0.525, 0.525, σ(-10)=0.0000454 → mean 0.350 < 0.5
    const s = [[[0, -0.1]], [[0, -0.1]], [[-10, 0]]];
    const d = ensembleVote(flat(s), 3, 1, 2);
    expect(d.majority).toEqual([0]);
    expect(d.meanProbability).toEqual([1]);
  });

  it('handles several examples and a single prompt', () => {
    const s = [[[-1, -2], [-2, -1], [-5, -5]]];
    const d = ensembleVote(flat(s), 1, 3, 2);
    expect(d.majority).toEqual([0, 1, 0]); // exact tie: the first label
    expect(d.votes).toEqual([[0], [1], [0]]);
  });

  it('refuses scores of the wrong size', () => {
    expect(() => ensembleVote([1, 2, 3], 2, 1, 2)).toThrow(/expected 2×1×2/);
  });
});
