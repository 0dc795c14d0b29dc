/**
 * stratifiedSplit: per-class proportions, determinism, every item exactly once, tiny classes.
 * The exact-split cases follow the shuffle by hand from the first values of seededRandom(42):
 * 0.6011037519…, 0.4482905589…, 0.8524657934… (mulberry32, src/core/random.ts).
 */
import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../../../src/core/data/stratifiedSplit';
import type { LabeledExample } from '../../../src/core/task/task';
import { seededRandom } from '../../../src/core/random';

const label = (e: LabeledExample) => e.label;
/** `counts` items per class, interleaved (a0 b0 c0 a1 b1 ...), texts unique. */
function dataset(counts: Record<string, number>): LabeledExample[] {
  const out: LabeledExample[] = [];
  const max = Math.max(...Object.values(counts));
  for (let i = 0; i < max; i++) for (const [l, n] of Object.entries(counts)) if (i < n) out.push({ text: `${l}${i}`, label: l });
  return out;
}
const countBy = (items: LabeledExample[]) => {
  const counts: Record<string, number> = {};
  for (const e of items) counts[e.label] = (counts[e.label] ?? 0) + 1;
  return counts;
};

describe('stratifiedSplit', () => {
  it('takes round(fraction × class size) of every class into validation', () => {
    const items = dataset({ a: 50, b: 30, c: 20, d: 15 });
    const { train, validation } = stratifiedSplit(items, label, 0.1, 7);
    // 0.1 × 50 = 5, × 30 = 3, × 20 = 2, × 15 = 1.5 → 2
    expect(countBy(validation)).toEqual({ a: 5, b: 3, c: 2, d: 2 });
    expect(countBy(train)).toEqual({ a: 45, b: 27, c: 18, d: 13 });
  });

  it('puts every item in exactly one part, each part in the original order', () => {
    const items = dataset({ a: 40, b: 25, c: 3, d: 1 });
    const { train, validation } = stratifiedSplit(items, label, 0.2, 123);
    expect(train.length + validation.length).toBe(items.length);
    const all = new Set([...train, ...validation]);
    expect(all.size).toBe(items.length);
    for (const item of items) expect(all.has(item)).toBe(true);
    const position = new Map(items.map((e, i) => [e, i]));
    const increasing = (part: LabeledExample[]) => part.every((e, i) => i === 0 || position.get(e)! > position.get(part[i - 1]!)!);
    expect(increasing(train)).toBe(true);
    expect(increasing(validation)).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const items = dataset({ a: 50, b: 50 });
    const one = stratifiedSplit(items, label, 0.1, 42);
    const again = stratifiedSplit(items, label, 0.1, 42);
    expect(again.validation.map((e) => e.text)).toEqual(one.validation.map((e) => e.text));
    expect(again.train.map((e) => e.text)).toEqual(one.train.map((e) => e.text));
    expect(stratifiedSplit(items, label, 0.1, 43).validation.map((e) => e.text)).not.toEqual(one.validation.map((e) => e.text));
    // The input is not reordered.
    expect(items.map((e) => e.text).slice(0, 4)).toEqual(['a0', 'b0', 'a1', 'b1']);
  });

  it('splits exactly as the seeded shuffle says (worked by hand for seed 42)', () => {
    const random = seededRandom(42);
    expect([random(), random(), random()].map((r) => r.toFixed(4))).toEqual(['0.6011', '0.4483', '0.8525']);
    // One class of 4, fraction 0.5 → 2 to validation. Shuffle [0,1,2,3]: i=3, j=⌊0.6011·4⌋=2 → [0,1,3,2];
    // i=2, j=⌊0.4483·3⌋=1 → [0,3,1,2]; i=1, j=⌊0.8525·2⌋=1 → unchanged. First two: items 0 and 3.
    const four = ['w', 'x', 'y', 'z'].map((text) => ({ text, label: 'a' }));
    expect(stratifiedSplit(four, label, 0.5, 42)).toEqual({ train: [four[1], four[2]], validation: [four[0], four[3]] });
    // Classes a (items 0, 2, 4) then b (1, 3), one random stream. a: round(1.5) = 2; shuffle [0,2,4]:
    // i=2, j=⌊0.6011·3⌋=1 → [0,4,2]; i=1, j=⌊0.4483·2⌋=0 → [4,0,2] → items 4 and 0.
    // b: round(1) = 1; shuffle [1,3]: i=1, j=⌊0.8525·2⌋=1 → [1,3] → item 1.
    const five = [
      { text: 'a0', label: 'a' },
      { text: 'b0', label: 'b' },
      { text: 'a1', label: 'a' },
      { text: 'b1', label: 'b' },
      { text: 'a2', label: 'a' },
    ];
    expect(stratifiedSplit(five, label, 0.5, 42)).toEqual({ train: [five[2], five[3]], validation: [five[0], five[1], five[4]] });
  });

  it('tiny classes: one item stays in train, two or more give at least one to validation and keep one in train', () => {
    const items = dataset({ one: 1, two: 2, three: 3, big: 100 });
    const { train, validation } = stratifiedSplit(items, label, 0.1, 5);
    // one: never validated; two: round(0.2)=0 → 1; three: round(0.3)=0 → 1; big: 10.
    expect(countBy(validation)).toEqual({ two: 1, three: 1, big: 10 });
    expect(countBy(train)).toEqual({ one: 1, two: 1, three: 2, big: 90 });
    // A large fraction never empties a class from train: 2 × 0.9 = 1.8 → 2, capped at 1.
    expect(countBy(stratifiedSplit(dataset({ a: 2, b: 10 }), label, 0.9, 1).train)).toEqual({ a: 1, b: 1 });
  });

  it('fraction 0 keeps everything in train; fractions outside [0, 1) are refused', () => {
    const items = dataset({ a: 5, b: 5 });
    expect(stratifiedSplit(items, label, 0, 1)).toEqual({ train: items, validation: [] });
    expect(stratifiedSplit(items, label, undefined, 1).validation.length).toBe(2); // default 0.1: 1 per class of 5
    expect(() => stratifiedSplit(items, label, 1, 1)).toThrow(RangeError);
    expect(() => stratifiedSplit(items, label, -0.1, 1)).toThrow(RangeError);
    expect(() => stratifiedSplit(items, label, Number.NaN, 1)).toThrow(RangeError);
    expect(stratifiedSplit([], label, 0.1, 1)).toEqual({ train: [], validation: [] });
  });
});
