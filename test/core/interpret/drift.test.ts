/** Drift of each prompt token from its initial vector, against float64 sums written here. */
import { describe, expect, it } from 'vitest';
import { driftPoint, promptDrift } from '../../../src/core/interpret/drift';
import { seededRandom } from '../../../src/core/random';

describe('prompt drift', () => {
  const random = seededRandom(5);
  const width = 16;
  const initial = Float32Array.from({ length: 3 * width }, () => random() - 0.5);
  const moved = (scale: number) => initial.map((x, i) => (i < width ? x * 2 : i < 2 * width ? -x : x + scale * (random() - 0.5)));

  it('cosine to the initial vector and norm, per token', () => {
    const current = moved(1);
    const p = driftPoint(initial, current, width, 7);
    expect(p.step).toBe(7);
    expect(p.cosine[0]).toBeCloseTo(1, 12); // scaled: same direction
    expect(p.cosine[1]).toBeCloseTo(-1, 12); // flipped
    const a = Array.from(initial.slice(2 * width));
    const b = Array.from(current.slice(2 * width));
    const dot = a.reduce((s, x, i) => s + x * b[i]!, 0);
    const na = Math.sqrt(a.reduce((s, x) => s + x * x, 0));
    const nb = Math.sqrt(b.reduce((s, x) => s + x * x, 0));
    expect(p.cosine[2]).toBeCloseTo(dot / (na * nb), 12);
    expect(p.norm[2]).toBeCloseTo(nb, 12);
    expect(p.norm[0]).toBeCloseTo(2 * Math.sqrt(Array.from(initial.slice(0, width)).reduce((s, x) => s + x * x, 0)), 5);
  });

  it('a series sorted by step, with the initial norms; a zero vector gives cosine 0, not NaN', () => {
    const d = promptDrift(initial, [{ step: 20, values: moved(2) }, { step: 0, values: initial }, { step: 10, values: moved(0.5) }], width);
    expect(d.points.map((p) => p.step)).toEqual([0, 10, 20]);
    expect(d.points[0]!.cosine.every((c) => Math.abs(c - 1) < 1e-12)).toBe(true);
    expect(d.initialNorm).toEqual(d.points[0]!.norm);
    expect(driftPoint(initial, new Float32Array(initial.length), width, 1).cosine).toEqual([0, 0, 0]);
    expect(() => driftPoint(initial, initial.slice(width), width, 1)).toThrow(/3 tokens but this one has 2/);
  });
});
