import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initPrompt, sampleVocabIds } from '../../../src/core/tuning/promptInit';
import { seededRandom } from '../../../src/core/random';

// A vocabulary of 6000 rows whose row i is filled with the value i: every sampled row is recognisable.
const vocab = 6000;
const width = 4;
const table = new Float32Array(vocab * width).map((_, k) => Math.floor(k / width));

describe('prompt initialisation', () => {
  const embeddings = tf.tensor2d(table, [vocab, width]);

  it('random: uniform in [-0.5, 0.5], mean near 0, reproducible for a seed', async () => {
    const a = await initPrompt({ init: 'random', length: 100, seed: 7, embeddings: tf.zeros([vocab, 512]) as tf.Tensor2D });
    const b = await initPrompt({ init: 'random', length: 100, seed: 7, embeddings: tf.zeros([vocab, 512]) as tf.Tensor2D });
    const c = await initPrompt({ init: 'random', length: 100, seed: 8, embeddings: tf.zeros([vocab, 512]) as tf.Tensor2D });
    const v = a.values;
    expect(v.length).toBe(100 * 512);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-0.5);
    expect(Math.max(...v)).toBeLessThanOrEqual(0.5);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(variance).toBeCloseTo(1 / 12, 2); // variance of U(-0.5, 0.5)
    expect(Math.min(...v)).toBeLessThan(-0.49);
    expect(Math.max(...v)).toBeGreaterThan(0.49);
    expect(b.values).toEqual(a.values);
    expect(c.values).not.toEqual(a.values);
  });

  it('vocab: distinct ids from 3..5002, each slot exactly that embedding row', async () => {
    const p = await initPrompt({ init: 'vocab', length: 100, seed: 1, embeddings });
    expect(new Set(p.sourceIds).size).toBe(100);
    for (const id of p.sourceIds) {
      expect(id).toBeGreaterThanOrEqual(3);
      expect(id).toBeLessThanOrEqual(5002);
    }
    p.sourceIds.forEach((id, slot) => expect([...p.values.subarray(slot * width, (slot + 1) * width)]).toEqual([id, id, id, id]));
    const again = await initPrompt({ init: 'vocab', length: 100, seed: 1, embeddings });
    expect(again.sourceIds).toEqual(p.sourceIds);
  });

  it('vocab: sampling covers the whole range and never leaves it', () => {
    const ids = sampleVocabIds(5000, vocab, seededRandom(3));
    expect(new Set(ids).size).toBe(5000);
    expect(Math.min(...ids)).toBe(3);
    expect(Math.max(...ids)).toBe(5002);
    // a vocabulary smaller than the range: ids stay inside it
    const small = sampleVocabIds(20, 512, seededRandom(3));
    expect(Math.max(...small)).toBeLessThanOrEqual(511);
  });

  it('labels: slot i is the mean of label i\'s token embeddings, the rest sampled vocab', async () => {
    const labelTokenIds = [[10, 20], [7], [100, 200, 300]];
    const p = await initPrompt({ init: 'labels', length: 5, seed: 2, embeddings, labelTokenIds });
    const row = (i: number) => [...p.values.subarray(i * width, (i + 1) * width)];
    expect(row(0)).toEqual([15, 15, 15, 15]);
    expect(row(1)).toEqual([7, 7, 7, 7]);
    expect(row(2)).toEqual([200, 200, 200, 200]);
    expect(p.labelSlots).toEqual([0, 1, 2, -1, -1]);
    for (const slot of [3, 4]) {
      const id = p.sourceIds[slot]!;
      expect(id).toBeGreaterThanOrEqual(3);
      expect(row(slot)).toEqual([id, id, id, id]);
    }
  });

  it('labels: refuses an empty label text', async () => {
    await expect(initPrompt({ init: 'labels', length: 5, seed: 2, embeddings, labelTokenIds: [[4], []] })).rejects.toThrow(/no tokens/);
  });
});
