import { describe, expect, it } from 'vitest';
import { displayToken, labelWordMatcher, minMaxDecimate, nearestIndex, rowRecalls, smoothEma, truncate } from '../../../src/app/charts/chartUtils';

describe('smoothEma', () => {
  it('is bias-corrected like TensorBoard: a constant series stays constant', () => {
    expect(smoothEma([2, 2, 2, 2], 0.9)).toEqual([2, 2, 2, 2].map(() => expect.closeTo(2, 12)));
  });
  it('matches the debiased EMA formula', () => {
    const v = [1, 3, 2];
    const w = 0.9;
    let last = 0;
    const expected = v.map((x, i) => {
      last = last * w + (1 - w) * x;
      return last / (1 - w ** (i + 1));
    });
    smoothEma(v, w).forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 12));
    expect(smoothEma(v, w)[0]).toBeCloseTo(1, 12);
  });
  it('passes non-finite values through without poisoning the average', () => {
    const s = smoothEma([1, Number.NaN, 1], 0.9);
    expect(s[1]).toBeNaN();
    expect(s[2]).toBeCloseTo(1, 12);
  });
  it('weight 0 is no smoothing', () => {
    expect(smoothEma([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });
});

describe('minMaxDecimate', () => {
  it('keeps every point when there are few', () => {
    expect(minMaxDecimate(10, (i) => i, (i) => i, 100)).toEqual([...Array(10).keys()]);
  });
  it('keeps first, min, max and last of each pixel column, in order', () => {
    const ys = Array.from({ length: 10_000 }, (_, i) => (i === 5_000 ? 100 : i === 7_000 ? -100 : Math.sin(i)));
    const idx = minMaxDecimate(ys.length, (i) => (i / ys.length) * 100, (i) => ys[i]!, 100);
    expect(idx.length).toBeLessThanOrEqual(400);
    expect(idx).toContain(5_000);
    expect(idx).toContain(7_000);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(ys.length - 1);
    for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
  });
});

describe('tokens and labels', () => {
  it('shows the SentencePiece word marker as a visible lead', () => {
    expect(displayToken('▁good')).toEqual({ lead: '·', text: 'good' });
    expect(displayToken('ing')).toEqual({ lead: '', text: 'ing' });
    expect(displayToken('</s>')).toEqual({ lead: '', text: '</s>' });
    expect(displayToken('<extra_id_0>')).toEqual({ lead: '', text: '<extra_id_0>' });
  });
  it('matches label words without "▁" and case-insensitively', () => {
    const isLabel = labelWordMatcher(['Positive', 'negative']);
    expect(isLabel('▁positive')).toBe(true);
    expect(isLabel('▁NEGATIVE')).toBe(true);
    expect(isLabel('positive')).toBe(true);
    expect(isLabel('▁positively')).toBe(false);
    expect(labelWordMatcher([])('▁')).toBe(false);
  });
  it('truncates with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});

describe('rowRecalls and nearestIndex', () => {
  it('computes recall per true label', () => {
    const r = rowRecalls([
      [8, 2],
      [0, 0],
    ]);
    expect(r[0]).toBeCloseTo(0.8);
    expect(r[1]).toBeNaN();
  });
  it('finds the nearest step', () => {
    expect(nearestIndex([], 3)).toBe(-1);
    expect(nearestIndex([1, 5, 10], 7)).toBe(1);
    expect(nearestIndex([1, 5, 10], 8)).toBe(2);
    expect(nearestIndex([1, 5, 10], -4)).toBe(0);
    expect(nearestIndex(Float64Array.from([1, 5, 10]), 99)).toBe(2);
  });
});
