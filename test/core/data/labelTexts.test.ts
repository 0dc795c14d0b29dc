/**
 * Label texts: suggestions for labels that are numbers or codes, and the checks on a mapping
 * (the same text twice, a shared first token, long texts), with a real-tokenizer stand-in and
 * with the word-based estimate the studio uses.
 */
import { describe, expect, it } from 'vitest';
import { checkLabelTexts, estimatePieces, labelsLookLikeCodes, renamedLabels, resolveLabelTexts, suggestLabelTexts } from '../../../src/core/data/labelTexts';

describe('label text suggestions', () => {
  it('1 / -1 and 0 / 1: the larger number is the positive word, in every offered set', () => {
    for (const [hi, lo] of [['1', '-1'], ['1', '0'], ['+1', '-1'], ['LABEL_1', 'LABEL_0']] as const) {
      const offered = suggestLabelTexts([lo, hi]);
      expect(offered.map((s) => s.texts)).toEqual([
        { [lo]: 'negative', [hi]: 'positive' },
        { [lo]: 'no', [hi]: 'yes' },
        { [lo]: 'false', [hi]: 'true' },
      ]);
      // The button's name lists the texts in the labels' order.
      expect(offered[0]!.name).toBe('negative / positive');
    }
    expect(suggestLabelTexts(['1', '-1'])[0]!.name).toBe('positive / negative');
  });

  it('three and five ordered numbers; abbreviations; nothing for words or unordered codes', () => {
    expect(suggestLabelTexts(['2', '0', '1'])[0]!.texts).toEqual({ '0': 'negative', '1': 'neutral', '2': 'positive' });
    expect(suggestLabelTexts(['5', '1', '3', '2', '4'])[0]!.texts).toEqual({ '1': 'terrible', '2': 'bad', '3': 'okay', '4': 'good', '5': 'great' });
    expect(suggestLabelTexts(['pos', 'NEG', 'neu'])[0]!.texts).toEqual({ pos: 'positive', NEG: 'negative', neu: 'neutral' });
    expect(suggestLabelTexts(['y', 'n'])[0]!.texts).toEqual({ y: 'yes', n: 'no' });
    expect(suggestLabelTexts(['spam', 'ham'])).toEqual([]);
    expect(suggestLabelTexts(['1', '5', '9'])).toEqual([]);
    expect(suggestLabelTexts(['1'])).toEqual([]);
    expect(suggestLabelTexts(['constructor', '__proto__'])).toEqual([]);
  });

  it('codes are numbers, LABEL_n, short codes or known abbreviations', () => {
    expect(labelsLookLikeCodes(['1', '-1'])).toBe(true);
    expect(labelsLookLikeCodes(['LABEL_0', 'LABEL_1'])).toBe(true);
    expect(labelsLookLikeCodes(['A', 'B', 'C'])).toBe(true);
    expect(labelsLookLikeCodes(['pos', 'neg'])).toBe(true);
    expect(labelsLookLikeCodes(['positive', 'negative'])).toBe(false);
    expect(labelsLookLikeCodes(['spam', '1'])).toBe(false);
  });

  it('a blank edit means the label itself; only real renames are passed on', () => {
    const texts = resolveLabelTexts(['1', '-1', 'constructor'], { '1': ' positive ', '-1': '  ' });
    expect(texts).toEqual({ '1': 'positive', '-1': '-1', constructor: 'constructor' });
    expect(renamedLabels(texts)).toEqual({ '1': 'positive' });
  });
});

describe('label text checks', () => {
  /** A toy SentencePiece: whole words, but "un" splits off the front. */
  const pieces = (t: string) => t.split(' ').flatMap((w) => (w.startsWith('un') ? ['▁un', w.slice(2)] : [`▁${w}`]));

  it('two labels trained to write the same text block training', () => {
    const issues = checkLabelTexts({ '1': 'good', '2': 'good', '3': 'bad' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'blocking', kind: 'same-text', labels: ['1', '2'] });
  });

  it('a shared first token, found by the tokenizer where the words differ', () => {
    const issues = checkLabelTexts({ a: 'unhappy', b: 'unsure', c: 'fine' }, pieces);
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', kind: 'shared-first-token', labels: ['a', 'b'] })]);
    expect(issues[0]!.message).toMatch(/same token \('un'\)/);
    // Without a tokenizer the estimate compares first words, and says so.
    const estimated = checkLabelTexts({ a: 'very good', b: 'very bad' });
    expect(estimated[0]!.message).toMatch(/same word \('very'\)/);
    expect(checkLabelTexts({ a: 'unhappy', b: 'unsure' })).toEqual([]);
  });

  it('long texts: counted by the tokenizer, or estimated', () => {
    const long = checkLabelTexts({ a: 'one two three four five', b: 'no' }, pieces);
    expect(long).toEqual([expect.objectContaining({ kind: 'long', labels: ['a'] })]);
    expect(long[0]!.message).toMatch(/is 5 tokens long/);
    expect(checkLabelTexts({ a: 'positive', b: 'negative' })).toEqual([]);
    expect(checkLabelTexts({ a: 'a deeply disappointing experience', b: 'great' })[0]!.message).toMatch(/about \d+ tokens/);
  });

  it('the estimate splits punctuation and counts long words as several pieces', () => {
    expect(estimatePieces('good!')).toEqual(['good', '!']);
    expect(estimatePieces('  ')).toEqual([]);
    expect(estimatePieces('incomprehensibilities').length).toBeGreaterThan(2);
  });
});
