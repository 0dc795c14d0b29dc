import { describe, expect, it } from 'vitest';
import { templateProblem } from '../../../src/core/task/template';

const columns = ['question', 'context', 'answer'];

describe('templateProblem', () => {
  it('accepts the names the data has (any case), {text}, and templates that name nothing', () => {
    expect(templateProblem('question: {question} context: {text}', columns, 'answer')).toBeUndefined();
    expect(templateProblem('question: {Question} context: {context}', columns, 'answer')).toBeUndefined();
    expect(templateProblem('{text}', columns, 'answer')).toBeUndefined();
    expect(templateProblem('summarise: ', columns, 'answer')).toBeUndefined();
  });

  it('names the unknown fields and lists the columns there are', () => {
    expect(templateProblem('q: {qestion} c: {text}', columns, 'answer')).toBe("the template names {qestion}, but the data has no such column; the columns are 'question', 'context', 'answer' ({text} is the text column)");
    expect(templateProblem('{title} {body} {text}', columns)).toMatch(/^the template names \{title\}, \{body\}, but the data has no such columns; the columns are 'question', 'context', 'answer'/);
  });

  it('refuses the label column: the model would read its answer', () => {
    expect(templateProblem('{question} {answer}', columns, 'answer')).toBe('the template names {answer}, the label column: the model would read the answer it is meant to write; use the other columns');
  });
});
