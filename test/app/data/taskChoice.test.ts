import { describe, expect, it } from 'vitest';
import { taskChoice } from '../../../src/app/data/taskChoice';
import { studioReducer, initialStudioState } from '../../../src/app/studio/studioState';
import { promptDesignLine, promptDesignSentence } from '../../../src/app/watch/promptDesignLine';

const rows = (labels: string[]) => labels.map((label, i) => ({ text: `row ${i}`, label }));

describe('the Data step task type', () => {
  it('is detected from the labels, and a choice overrides it', () => {
    const qa = rows(Array.from({ length: 12 }, (_, i) => `answer ${i}`));
    expect(taskChoice(qa, undefined)).toMatchObject({ kind: 'text', overridden: false });
    expect(taskChoice(qa, 'classify')).toMatchObject({ kind: 'classify', overridden: true });
    expect(taskChoice(rows(['spam', 'ham', 'spam']), undefined)).toMatchObject({ kind: 'classify', overridden: false });
    expect(taskChoice(rows(['spam', 'ham', 'spam']), 'classify').overridden).toBe(false);
  });
});

describe('the prompt-design baseline in the studio', () => {
  const score = { kind: 'text' as const, score: 0.25, f1: 0.5, n: 8, template: 'q: {text}' };

  it('becomes a reference line and a sentence', () => {
    expect(promptDesignLine(undefined)).toEqual([]);
    expect(promptDesignLine(score)).toEqual([{ label: 'prompt design “q: {text}” (exact match, no soft prompt)', value: 0.25 }]);
    expect(promptDesignSentence(score, 'validation rows')).toBe('Prompt design (frozen model, template “q: {text}”, no soft prompt): 25.0% exact match, F1 50.0% on 8 validation rows');
  });

  it('is kept per split by the reducer, and a text evaluation replaces a classification one', () => {
    let s = studioReducer(initialStudioState, { type: 'baseline', split: 'validation', ...score });
    s = studioReducer(s, { type: 'baseline', split: 'test', requestId: 3, ...score, score: 0.5 });
    expect(s.promptDesign).toEqual({ validation: score, test: { ...score, score: 0.5 } });
    const text = { n: 1, members: [{ exactMatch: 1, f1: 1 }], mean: { exactMatch: 1, f1: 1 }, best: { exactMatch: 1, f1: 1 }, ensemble: { exactMatch: 1, f1: 1 }, confident: { exactMatch: 1, f1: 1 }, examples: [{ input: 'a', target: 'b', generated: 'b' }], longTargets: 0, notes: [] };
    s = studioReducer({ ...s, evaluation: { n: 1, labels: [], members: [], accuracy: 1, meanAccuracy: 1, bestAccuracy: 1, confusion: [] } }, { type: 'text-evaluation', requestId: 4, ...text });
    expect(s.evaluation).toBeUndefined();
    expect(s.textEvaluation).toEqual(text);
    s = studioReducer(s, { type: 'prompts-ready', count: 1, labels: [], notes: [], kind: 'text' });
    expect(s.prompts?.kind).toBe('text');
    expect(studioReducer(s, { type: 'reset-run' }).promptDesign).toBeUndefined();
  });
});
