/** The known T5 checkpoints: shapes against the published parameter counts, ids as the Hub spells them. */
import { describe, expect, it } from 'vitest';
import { findKnownT5, isHubId, KNOWN_T5 } from '../../../src/core/model/t5Catalogue';

describe('known T5 checkpoints', () => {
  it('have the published parameter counts, small to XXL', () => {
    const counts = Object.fromEntries(KNOWN_T5.map((m) => [m.id, m.parameters]));
    expect(counts).toMatchObject({
      'google/flan-t5-small': 76_961_152,
      'google/flan-t5-base': 247_577_856,
      'google/flan-t5-large': 783_150_080,
      'google/flan-t5-xl': 2_849_757_184,
      'google/flan-t5-xxl': 11_135_332_352,
      'google-t5/t5-small': 60_506_624,
      'google-t5/t5-base': 222_903_552,
      'google-t5/t5-large': 737_668_096,
      'google-t5/t5-3b': 2_851_598_336,
      'google-t5/t5-11b': 11_307_321_344,
    });
    // LM-adapted and v1.1 share Flan-T5's shapes.
    for (const size of ['small', 'base', 'large', 'xl', 'xxl']) expect(counts[`google/t5-${size}-lm-adapt`]).toBe(counts[`google/flan-t5-${size}`]);
  });

  it('are found by id, legacy id or any case; the v1.1 repos borrow t5-small’s tokenizer.json', () => {
    expect(findKnownT5('t5-large')?.id).toBe('google-t5/t5-large');
    expect(findKnownT5('Google/Flan-T5-XL')?.config.dModel).toBe(2048);
    expect(findKnownT5('google/t5-large-lm-adapt')).toMatchObject({ size: 'large', family: 'lm-adapt', tokenizerRepo: 'google-t5/t5-small' });
    expect(findKnownT5('google/flan-t5-large')?.tokenizerRepo).toBeUndefined();
    expect(findKnownT5('google/mt5-base')).toBeUndefined();
  });

  it('tells a Hub id from a path', () => {
    for (const id of ['google/flan-t5-base', 't5-small', 'my-org/t5.v2_x']) expect(isHubId(id), id).toBe(true);
    for (const id of ['/models/t5', 'flan-t5-base', 'a/b/c', '../x/y', 'google/..']) expect(isHubId(id), id).toBe(false);
  });
});
