/** Prompt-token norms and their percentile among the vocabulary's norms, against a float64 count. */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normBand, percentileBelow, promptNorms, vocabularyNorms } from '../../../src/core/interpret/embeddingNorms';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { fixtureSource, loadExpected, testBackend, type Expected } from '../../helpers/fixtures';

describe('embedding norms', () => {
  let loaded: LoadedT5;
  let e: Expected;
  let table: number[][];
  beforeAll(async () => {
    loaded = await loadT5(await fixtureSource('t5-tiny-relu'));
    e = await loadExpected('t5-tiny-relu');
    table = loaded.model.weights.shared.arraySync();
  });
  afterAll(() => loaded?.model.dispose());

  const norm64 = (r: number[]) => Math.sqrt(r.reduce((s, x) => s + x * x, 0));

  it(`vocabulary norms, sorted, min / median / max, on ${testBackend}`, async () => {
    const before = tf.memory().numTensors;
    const v = await vocabularyNorms(loaded.model.weights.shared);
    expect(tf.memory().numTensors).toBe(before);
    const ref = table.map(norm64).sort((a, b) => a - b);
    const err = Math.max(...ref.map((x, i) => Math.abs(x - v.sorted[i]!) / x));
    expect(err).toBeLessThan(1e-5);
    expect(v.min).toBeCloseTo(ref[0]!, 4);
    expect(v.max).toBeCloseTo(ref[ref.length - 1]!, 4);
    expect(v.median).toBeCloseTo(ref[256]!, 4);
  });

  it('each prompt token: its norm and the share of vocabulary norms below it', async () => {
    const v = await vocabularyNorms(loaded.model.weights.shared);
    const width = e.prompt.shape[1]!;
    const got = promptNorms(e.prompt.values, width, v);
    const vocab = table.map(norm64);
    got.forEach((n, i) => {
      const ref = norm64(e.prompt.values.slice(i * width, (i + 1) * width));
      expect(Math.abs(n.norm - ref) / ref).toBeLessThan(1e-12);
      const below = vocab.filter((x) => x < ref).length;
      // A vocabulary norm within float32 rounding of the prompt's may fall either side.
      const tie = vocab.filter((x) => Math.abs(x - ref) < 1e-5 * ref).length;
      expect(Math.abs(n.vocabPercentile - (100 * below) / vocab.length)).toBeLessThanOrEqual((100 * tie) / vocab.length);
    });
  });

  it('percentiles at the edges, and the band the panel words', () => {
    const sorted = [1, 2, 2, 3, 10];
    expect(percentileBelow(sorted, 0.5)).toBe(0);
    expect(percentileBelow(sorted, 2)).toBe(20); // strictly below
    expect(percentileBelow(sorted, 2.5)).toBe(60);
    expect(percentileBelow(sorted, 11)).toBe(100);
    expect(percentileBelow([], 1)).toBe(0);
    expect(normBand({ norm: 0, vocabPercentile: 0 })).toBe('below');
    expect(normBand({ norm: 5, vocabPercentile: 50 })).toBe('within');
    expect(normBand({ norm: 50, vocabPercentile: 100 })).toBe('above');
  });
});
