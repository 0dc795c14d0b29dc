/**
 * The interpretation views on a T5-sized vocabulary, timed on whatever tf.getBackend() is: the atlas
 * (norms + PCA), the neighbours of a prompt, a map of sampled ids, and the atlas again (cached), each
 * with the longest stall of the event loop while it ran (the worker answers pause and stop between
 * the covariance's chunks, so the atlas must not be one blocking piece).
 */
import * as tf from '@tensorflow/tfjs';
import { nearestNeighbours } from '../src/core/interpret/nearestNeighbours';
import { projectIds, sampleVocabularyIds, vocabularyAtlas } from '../src/core/interpret/vocabularyAtlas';
import type { T5Model } from '../src/core/model/t5Model';
import type { VocabularyJob, VocabularyResult } from './types';

/** Runs `f` while a 10 ms ticker measures the longest gap between its ticks. */
async function withStallMeter<T>(f: () => Promise<T>): Promise<{ result: T; ms: number; longestStallMs: number }> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  const t0 = performance.now();
  try {
    const result = await f();
    return { result, ms: performance.now() - t0, longestStallMs: Math.max(longest, performance.now() - last) };
  } finally {
    clearInterval(ticker);
  }
}

export async function runVocabulary(model: T5Model, job: VocabularyJob, log: (s: string) => void): Promise<VocabularyResult> {
  // The atlas is cached per embedding tensor: a fresh handle on the same data measures a first computation every time.
  const table = tf.clone(model.weights.shared);
  const [vocab, width] = table.shape;
  const prompt = tf.randomNormal([job.promptLength, width], 0, 1, 'float32', 2) as tf.Tensor2D;
  try {
    const atlas = await withStallMeter(() => vocabularyAtlas(table));
    log(`  atlas ${atlas.ms.toFixed(0)} ms (longest stall ${atlas.longestStallMs.toFixed(0)} ms)`);
    const neighbours = await withStallMeter(() => nearestNeighbours(prompt, table, 5));
    const map = await withStallMeter(() => projectIds(table, atlas.result.basis, sampleVocabularyIds(vocab, job.mapPoints)));
    const again = await withStallMeter(() => vocabularyAtlas(table));
    if (again.result !== atlas.result) throw new Error('the atlas was computed again instead of coming from its cache');
    return {
      kind: 'vocabulary',
      shape: [vocab, width],
      promptLength: job.promptLength,
      mapPoints: map.result.length,
      atlasMs: atlas.ms,
      normsMs: atlas.result.timings.normsMs,
      pcaMs: atlas.result.timings.pcaMs,
      atlasStallMs: atlas.longestStallMs,
      neighboursMs: neighbours.ms,
      neighboursStallMs: neighbours.longestStallMs,
      mapMs: map.ms,
      atlasAgainMs: again.ms,
    };
  } finally {
    tf.dispose([table, prompt]);
  }
}
