// The text evaluation view as markup: an ensemble shows each prompt, the mean, the best, the vote
// and the most confident answer; a single prompt shows its own scores only.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TextEvaluationView } from '../../../src/app/keep/TextEvaluationView';
import type { TextEvaluationState } from '../../../src/app/studio/studioState';

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'");
const s = (exactMatch: number, f1: number) => ({ exactMatch, f1 });
const render = (e: TextEvaluationState) => renderToStaticMarkup(createElement(TextEvaluationView, { evaluation: e }));

describe('TextEvaluationView', () => {
  it("shows an ensemble's vote with the most confident answer beside it", () => {
    const html = render({ n: 4, members: [s(0.5, 0.6), s(0.25, 0.5)], mean: s(0.375, 0.55), best: s(0.5, 0.6), ensemble: s(0.5, 0.7), confident: s(0.75, 0.8), examples: [{ input: 'q', target: 'a', generated: 'a', members: ['a', 'b'] }], longTargets: 0, notes: [] });
    expect(text(html)).toContain('Exact match 50.0%, F1 70.0% on 4 examples (vote of 2: each prompt 50.0% / 60.0%, 25.0% / 50.0%; mean 37.5%, best 50.0%)');
    expect(html).toContain('data-testid="most-confident"');
    expect(text(html)).toContain('exact match 75.0%, F1 80.0%');
    expect(text(html)).toContain('a · b');
  });

  it('leaves out the combinations for one prompt', () => {
    const one = s(1, 1);
    const html = render({ n: 1, members: [one], mean: one, best: one, ensemble: one, confident: one, examples: [], longTargets: 0, notes: [] });
    expect(html).not.toContain('most-confident');
    expect(text(html)).not.toContain('vote of');
  });
});
