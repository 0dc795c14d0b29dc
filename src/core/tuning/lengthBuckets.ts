/**
 * Batches grouped by length so little compute is spent on padding: shuffle, then within
 * windows of many batches sort by length and cut, then shuffle the batch order. Sequence
 * lengths are rounded up to a multiple of 8 so the GPU sees few distinct shapes (shader and
 * position-bias caches hit) while padding stays small.
 */
import { shuffle, type Random } from '../random';

export const LENGTH_MULTIPLE = 8;
const WINDOW_BATCHES = 50;

export function paddedLength(length: number, multiple = LENGTH_MULTIPLE): number {
  return Math.max(multiple, Math.ceil(length / multiple) * multiple);
}

/** One epoch of batches (indices into `lengths`), length-bucketed and in random order. */
export function planEpoch(lengths: number[], batchSize: number, random: Random): number[][] {
  const order = shuffle(lengths.map((_, i) => i), random);
  const batches: number[][] = [];
  const window = batchSize * WINDOW_BATCHES;
  for (let start = 0; start < order.length; start += window) {
    const chunk = order.slice(start, start + window).sort((a, b) => lengths[a]! - lengths[b]!);
    for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  return shuffle(batches, random);
}
