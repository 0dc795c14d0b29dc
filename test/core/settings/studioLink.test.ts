/** The studio's set-up as a link: round trips, and bad links give defaults plus words, never a throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLink, encodeLink } from '../../../src/core/settings/studioLink';

describe('the studio link', () => {
  it('writes only what differs from the defaults, with the CLI flag names', () => {
    expect(encodeLink({ settings: { promptLength: 100, steps: 1000 } })).toBe('');
    const hash = encodeLink({ model: 'google/flan-t5-small', textColumn: 'review text', labelColumn: 'label', settings: { promptLength: 20, learningRate: 0.1, init: 'vocab', validationFraction: 0.1 } });
    expect(hash).toBe('model=google%2Fflan-t5-small&text=review+text&label=label&prompt-length=20&init=vocab&lr=0.1');
  });

  it('reads back what it wrote', () => {
    const link = { model: 'demo', textColumn: 'a,b & c', labelColumn: 'é', settings: { promptLength: 7, optimizer: 'adam' as const, learningRate: 0.002, ensembleSize: 3, evalEvery: 0 } };
    expect(decodeLink(`#${encodeLink(link)}`)).toEqual({ link, problems: [] });
  });

  it('keeps the defaults for out-of-range, malformed and unknown parts, and says which', () => {
    const { link, problems } = decodeLink('#prompt-length=0&steps=12&lr=abc&colour=blue&batch-size=8');
    expect(link.settings).toEqual({ steps: 12, 'batchSize': 8 });
    expect(problems).toEqual([
      'Prompt length must be a whole number from 1 to 500; got 0, so the default is used',
      'Learning rate must be a number above 0 to 10; got "abc", so the default is used',
      'the link has an unknown setting "colour"; it was ignored',
    ]);
  });

  it('refuses a model that is not a name (a link must not point the app at arbitrary URLs)', () => {
    const { link, problems } = decodeLink('#model=https%3A%2F%2Fevil.example%2Fx');
    expect(link.model).toBeUndefined();
    expect(problems[0]).toMatch(/not a model name/);
  });

  it('drops a setting whose combination is impossible', () => {
    const { link, problems } = decodeLink('#prompt-length=300&max-length=200');
    expect(link.settings).toEqual({ promptLength: 300 });
    expect(problems[0]).toMatch(/no room for text after a 300-token prompt/);
  });

  it('never throws, whatever the hash', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (hash) => {
        const { link, problems } = decodeLink(hash);
        expect(Array.isArray(problems)).toBe(true);
        expect(typeof link.settings).toBe('object');
      }),
      { numRuns: 500 },
    );
  });
});
