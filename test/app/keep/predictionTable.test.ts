import { describe, expect, it } from 'vitest';
import { classPredictionTable, inputColumn, textPredictionTable } from '../../../src/app/keep/predictionTable';

describe('the table "Label a CSV" downloads', () => {
  const columns = ['id', 'text'];
  const rows = [
    ['1', 'a warm tale'],
    ['2', 'dull'],
  ];

  it('class prompts: the data\'s own label, its probability, and each member\'s vote for an ensemble', () => {
    const reply = {
      results: [
        { answer: 1, votes: [1, 0, 1], probabilities: [0.25, 0.75] },
        { answer: 0, votes: [0, 0, 1], probabilities: [0.6, 0.4] },
      ],
    };
    expect(classPredictionTable(columns, rows, reply, ['-1', '1'])).toEqual([
      ['id', 'text', 'prediction', 'confidence', 'vote_1', 'vote_2', 'vote_3'],
      ['1', 'a warm tale', '1', '0.7500', '1', '-1', '1'],
      ['2', 'dull', '-1', '0.6000', '-1', '-1', '1'],
    ]);
    const single = { results: reply.results.map((r) => ({ ...r, votes: [r.answer] })) };
    expect(classPredictionTable(columns, rows, single, ['-1', '1'])[0]).toEqual(['id', 'text', 'prediction', 'confidence']);
  });

  it('text prompts: the generated answer; for an ensemble also the most confident member and each member; cut answers marked', () => {
    const results = [
      { answer: 'paris', confident: 'paris france', members: ['paris', 'paris france', 'paris'], confidences: [-0.5, -0.1, -0.7], cut: 0 },
      { answer: 'a very long', confident: 'a very long', members: ['a very long', 'no', 'a very long'], confidences: [-0.2, -0.9, -0.3], cut: 2 },
    ];
    expect(textPredictionTable(columns, rows, results)).toEqual([
      ['id', 'text', 'prediction', 'most_confident', 'answer_1', 'answer_2', 'answer_3', 'cut'],
      ['1', 'a warm tale', 'paris', 'paris france', 'paris', 'paris france', 'paris', ''],
      ['2', 'dull', 'a very long', 'a very long', 'a very long', 'no', 'a very long', 'yes'],
    ]);
    const one = results.map((r) => ({ ...r, members: [r.answer], confidences: [r.confidences[0]!] }));
    expect(textPredictionTable(columns, rows, one)).toEqual([
      ['id', 'text', 'prediction', 'cut'],
      ['1', 'a warm tale', 'paris', ''],
      ['2', 'dull', 'a very long', 'yes'],
    ]);
  });
});

describe('the column Label a CSV reads', () => {
  it('the training data\'s text column by name (any case), else the detected one, else the longest values; never a leading id', () => {
    const rows = [
      ['1', 'Repeat the word: apple'],
      ['2', 'Repeat the word: stone'],
    ];
    expect(inputColumn({ columns: ['id', 'Question'], rows }, 'question')).toBe('Question');
    expect(inputColumn({ columns: ['id', 'question'], rows })).toBe('question');
    expect(inputColumn({ columns: ['id', 'question'], rows }, 'sentence')).toBe('question');
    expect(inputColumn({ columns: ['text'], rows: [['a warm tale']] })).toBe('text');
  });
});
