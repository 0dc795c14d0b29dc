import { describe, expect, it } from 'vitest';
import { applyTemplate, extraTemplateFields, templateFields } from '../../../src/core/task/template';
import { detectTaskKind, parseTaskKind } from '../../../src/core/task/taskKind';

describe('templates with several fields', () => {
  it('fills {text} and named columns', () => {
    const t = 'question: {question} context: {text}';
    expect(templateFields(t)).toEqual(['question', 'text']);
    expect(extraTemplateFields(t)).toEqual(['question']);
    expect(applyTemplate(t, 'Paris is in France.', { question: 'Where is Paris?' })).toBe('question: Where is Paris? context: Paris is in France.');
    expect(applyTemplate('{text} / {text}', 'x')).toBe('x / x');
  });

  it('keeps the old behaviour for plain templates and shows a field with no value', () => {
    expect(applyTemplate('sentiment: ', 'good')).toBe('sentiment: good');
    expect(applyTemplate('{text} Is this positive?', 'good')).toBe('good Is this positive?');
    expect(applyTemplate('q: {missing} {text}', 'x', {})).toBe('q: {missing} x');
    expect(extraTemplateFields(undefined)).toEqual([]);
  });
});

describe('task kind', () => {
  it('calls repeated labels classification and mostly distinct targets text', () => {
    expect(detectTaskKind(['pos', 'neg', 'pos', 'neg']).kind).toBe('classify');
    // the fixture's three rows with three labels stay classification: too few to call free text
    expect(detectTaskKind(['a', 'b', 'c']).kind).toBe('classify');
    const answers = Array.from({ length: 12 }, (_, i) => `answer ${i}`);
    expect(detectTaskKind(answers)).toEqual({ kind: 'text', reason: expect.stringContaining('12 distinct targets in 12 rows') });
    // 10 distinct in 20 rows is not more than half: classification
    expect(detectTaskKind(Array.from({ length: 20 }, (_, i) => `l${i % 10}`)).kind).toBe('classify');
  });

  it('parses stored or given kinds, anything else as unknown', () => {
    expect(parseTaskKind('text')).toBe('text');
    expect(parseTaskKind('classify')).toBe('classify');
    expect(parseTaskKind('qa')).toBeUndefined();
    expect(parseTaskKind(undefined)).toBeUndefined();
  });
});
