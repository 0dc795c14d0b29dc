/** SPoT-style similarity of prompts (mean-pooled and token-aligned cosine), against float64 loops written here. */
import { describe, expect, it } from 'vitest';
import { promptSimilarity, type NamedPrompt } from '../../../src/core/interpret/promptSimilarity';
import { seededRandom } from '../../../src/core/random';

const random = seededRandom(9);
const width = 8;
const prompt = (name: string, length: number): NamedPrompt => ({ name, length, width, values: Float32Array.from({ length: length * width }, () => random() - 0.3) });

function cos(a: number[], b: number[]): number {
  const d = a.reduce((s, x, i) => s + x * b[i]!, 0);
  return d / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
}
const tokens = (p: NamedPrompt) => Array.from({ length: p.length }, (_, t) => Array.from(p.values).slice(t * width, (t + 1) * width));
const mean = (p: NamedPrompt) => tokens(p).reduce((m, r) => m.map((x, j) => x + r[j]! / p.length), new Array<number>(width).fill(0));

describe('promptSimilarity', () => {
  const prompts = [prompt('a', 4), prompt('b', 4), prompt('c', 6)];
  const s = promptSimilarity(prompts);

  it('is symmetric with a unit diagonal', () => {
    expect(s.names).toEqual(['a', 'b', 'c']);
    for (const m of [s.meanPooled, s.tokenAligned]) {
      m.forEach((row, i) => {
        expect(row[i]).toBeCloseTo(1, 12);
        row.forEach((x, j) => expect(x).toBeCloseTo(m[j]![i]!, 12));
      });
    }
  });

  it('mean-pooled: cosine of the mean tokens; token-aligned: mean cosine over the common positions', () => {
    prompts.forEach((a, i) =>
      prompts.forEach((b, j) => {
        expect(s.meanPooled[i]![j]).toBeCloseTo(cos(mean(a), mean(b)), 12);
        const n = Math.min(a.length, b.length);
        const aligned = tokens(a).slice(0, n).reduce((sum, r, t) => sum + cos(r, tokens(b)[t]!), 0) / n;
        expect(s.tokenAligned[i]![j]).toBeCloseTo(aligned, 12);
      }),
    );
  });

  it('refuses prompts of different widths', () => {
    expect(() => promptSimilarity([prompt('a', 2), { name: 'wide', length: 1, width: 3, values: [1, 2, 3] }])).toThrow(/"wide" is 3 wide/);
  });
});
