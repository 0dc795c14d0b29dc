/**
 * How long each prompt vector is, against the lengths of the vocabulary's embeddings. A prompt
 * token whose norm lies far outside the vocabulary's is not "a word": its nearest neighbours are
 * only the least distant words, not what it stands for (Khashabi et al. 2022, "Prompt Waywardness").
 */
import * as tf from '@tensorflow/tfjs';
import { rowNorms, type Rows } from './rows';

export interface VocabularyNorms {
  /** Every vocabulary embedding's norm, ascending (for percentiles). */
  sorted: Float32Array;
  min: number;
  median: number;
  max: number;
}

export interface TokenNorm {
  norm: number;
  /** Percentage (0–100) of vocabulary embeddings whose norm is below this one. */
  vocabPercentile: number;
}

/** Below the 1st or above the 99th percentile of vocabulary norms: the panel says "not a word". */
export const OUTSIDE_PERCENTILE = 1;

/** The norms of the [vocab, d] embedding table: one reduction on the backend, V numbers read back. */
export async function vocabularyNorms(embeddings: tf.Tensor2D): Promise<VocabularyNorms> {
  const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(embeddings), 1)));
  const sorted = ((await norms.data()) as Float32Array).slice().sort();
  norms.dispose();
  return { sorted, min: sorted[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

/** 100 × (vocabulary norms strictly below `value`) / V, by binary search over the sorted norms. */
export function percentileBelow(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length ? (100 * lo) / sorted.length : 0;
}

/** Each prompt row's norm and where it falls among the vocabulary's norms. */
export function promptNorms(prompt: Rows, width: number, vocabulary: Pick<VocabularyNorms, 'sorted'>): TokenNorm[] {
  return rowNorms(prompt, width).map((norm) => ({ norm, vocabPercentile: percentileBelow(vocabulary.sorted, norm) }));
}

/** 'above' / 'below' when the token's norm is outside the central 98% of the vocabulary's. */
export function normBand(n: TokenNorm): 'below' | 'within' | 'above' {
  if (n.vocabPercentile < OUTSIDE_PERCENTILE) return 'below';
  if (n.vocabPercentile > 100 - OUTSIDE_PERCENTILE) return 'above';
  return 'within';
}
