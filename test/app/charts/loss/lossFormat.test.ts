import { describe, expect, it } from 'vitest';
import { fmtAcc, fmtLoss, fmtStep } from '../../../../src/app/charts/loss/lossFormat';

describe('loss chart formats', () => {
  it('shows ordinary losses with three decimals, huge ones with separators, tiny ones in e-notation', () => {
    expect(fmtLoss(0.6931)).toBe('0.693');
    expect(fmtLoss(0)).toBe('0.000');
    expect(fmtLoss(12345.67)).toBe('12,345.7');
    expect(fmtLoss(0.000123)).toBe('1.23e-4');
    expect(fmtLoss(-0.5)).toBe('−0.500');
  });
  it('spells out non-finite losses', () => {
    expect(fmtLoss(Number.NaN)).toBe('NaN');
    expect(fmtLoss(Infinity)).toBe('Infinity');
  });
  it('formats accuracy as a percentage and steps with separators', () => {
    expect(fmtAcc(0.8766)).toBe('87.7%');
    expect(fmtStep(12000)).toBe('12,000');
  });
});
