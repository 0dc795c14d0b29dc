// The Data step's input template and Try it's boxes, as markup: the template's problem names the
// columns there are, a good template shows the first row as the model reads it, and Try it asks
// for each column the template names.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { InputTemplate } from '../../../src/app/data/InputTemplate';
import { TryIt, tryItInputs } from '../../../src/app/keep/TryIt';
import type { StudioWorker } from '../../../src/app/studio/useStudioWorker';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');
const columns = ['question', 'context', 'answer'];
const row = { text: 'Paris is in France.', label: 'France', fields: { question: 'Where is Paris?' } };
const render = (template: string) => renderToStaticMarkup(createElement(InputTemplate, { template, onChange: () => {}, columns, textColumn: 'context', labelColumn: 'answer', example: row }));

describe('InputTemplate', () => {
  it('shows the first row as the model will read it, and which columns can be named', () => {
    const html = render('question: {question} context: {text}');
    expect(html).not.toContain('template-problem');
    expect(text(html)).toContain('The first row reads: “question: Where is Paris? context: Paris is in France.”');
    expect(text(html)).toContain('{text} is the text column ‘context’; the other columns can be named too: {question}');
  });

  it('says which name the data lacks and lists its columns, instead of a preview', () => {
    const html = render('question: {qestion} context: {text}');
    expect(html).toContain('role="alert"');
    expect(text(html)).toContain("The template names {qestion}, but the data has no such column; the columns are 'question', 'context', 'answer' ({text} is the text column).");
    expect(html).not.toContain('template-preview');
    expect(html).toContain('aria-invalid="true"');
  });
});

describe('Try it with a template of several columns', () => {
  const worker = {} as StudioWorker;
  it('asks for each column the template names, {text} included, and for the text alone otherwise', () => {
    expect(tryItInputs('question: {question} context: {text}')).toEqual(['question', 'text']);
    expect(tryItInputs('{text} Is it good?')).toEqual(['text']);
    expect(tryItInputs('sentiment: ')).toEqual(['text']);
    expect(tryItInputs(undefined)).toEqual(['text']);
    const html = renderToStaticMarkup(createElement(TryIt, { worker, disabled: false, text: true, template: 'question: {question} context: {text}' }));
    expect(html).toContain('data-testid="try-field-question"');
    expect(html).toContain('data-testid="try-text"');
    expect(text(html)).toContain('{question}');
    const plain = renderToStaticMarkup(createElement(TryIt, { worker, disabled: false }));
    expect(plain).not.toContain('try-field-');
    expect(plain.match(/<textarea/g)).toHaveLength(1);
  });
});
