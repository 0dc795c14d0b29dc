import { expect, it } from 'vitest';
import { paddedLength } from '../../../src/core/tuning/lengthBuckets';
import { microBatches } from '../../../src/core/tuning/microBatches';

const row = (n: number, id = 0) => ({ inputIds: Array.from({ length: n }, () => 5), id });

it('keeps every row, in order, and each pass within the token budget', () => {
  const rows = Array.from({ length: 32 }, (_, i) => row(100 + (i % 7) * 4, i));
  const passes = microBatches(rows, 100, 2048);
  expect(passes.flat().map((r) => r.id)).toEqual(rows.map((r) => r.id));
  for (const pass of passes) {
    const tokens = pass.length * (paddedLength(Math.max(...pass.map((r) => r.inputIds.length))) + 100);
    expect(tokens).toBeLessThanOrEqual(2048);
  }
  // 128 padded + 100 prompt = 228 tokens a row: 8 rows (1,824 tokens) fit, 9 (2,052) do not.
  expect(passes.map((p) => p.length)).toEqual([8, 8, 8, 8]);
});

it('one pass when the batch fits, and a row longer than the budget still gets its own pass', () => {
  expect(microBatches([row(10), row(12), row(9)], 20, 2048)).toHaveLength(1);
  expect(microBatches([row(3000), row(10)], 20, 2048).map((p) => p.length)).toEqual([1, 1]);
  expect(microBatches([], 20, 2048)).toEqual([]);
});
