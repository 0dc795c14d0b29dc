/** The one byte format: decimal units, one decimal below 10 (except kB), never "1000 kB". */
import { expect, it } from 'vitest';
import { formatBytes } from '../../../src/core/format/bytes';

it('formats bytes, kB, MB and GB as the Hub does', () => {
  expect(formatBytes(0)).toBe('0 bytes');
  expect(formatBytes(1)).toBe('1 byte');
  expect(formatBytes(812)).toBe('812 bytes');
  expect(formatBytes(999)).toBe('999 bytes');
  expect(formatBytes(1000)).toBe('1 kB');
  expect(formatBytes(12_000)).toBe('12 kB');
  expect(formatBytes(34_499)).toBe('34 kB');
  expect(formatBytes(1_160_000)).toBe('1.2 MB');
  expect(formatBytes(9_940_000)).toBe('9.9 MB');
  expect(formatBytes(9_960_000)).toBe('10 MB');
  expect(formatBytes(308_000_000)).toBe('308 MB');
  expect(formatBytes(2_400_000_000)).toBe('2.4 GB');
  expect(formatBytes(31_000_000_000)).toBe('31 GB');
});

it('steps up a unit rather than writing 1000 of one', () => {
  expect(formatBytes(999_400)).toBe('999 kB');
  expect(formatBytes(999_600)).toBe('1.0 MB');
  expect(formatBytes(999_600_000)).toBe('1.0 GB');
});

it('says a non-number as it is rather than inventing a size', () => {
  expect(formatBytes(Number.NaN)).toBe('NaN bytes');
});
