/**
 * Split one training batch into passes of at most `maxTokens` encoder tokens (padded input + prompt
 * per row), whose gradients the trainer adds up before one optimiser update: the same update as the
 * whole batch at once, with memory bounded by the pass instead of the batch. Activation memory grows
 * with the tokens in a pass (~0.6 MB per token for T5-small), so the paper's batch of 32 × 128 tokens
 * with a 100-token prompt (7,300 tokens, ~4.7 GB at once) runs as four passes (~1.6 GB).
 */
import { paddedLength } from './lengthBuckets';

/** Consecutive runs of rows, in order, each within the budget (a row alone may exceed it). */
export function microBatches<R extends { inputIds: number[] }>(rows: R[], promptLength: number, maxTokens: number): R[][] {
  const passes: R[][] = [];
  let current: R[] = [];
  let longest = 0;
  for (const row of rows) {
    const length = Math.max(longest, row.inputIds.length);
    if (current.length > 0 && (current.length + 1) * (paddedLength(length) + promptLength) > maxTokens) {
      passes.push(current);
      current = [];
      longest = 0;
    }
    current.push(row);
    longest = Math.max(longest, row.inputIds.length);
  }
  if (current.length > 0) passes.push(current);
  return passes;
}
