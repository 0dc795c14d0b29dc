/**
 * What interpretation needs to know about a model's vocabulary, computed once per model: the
 * sorted embedding norms and the PCA basis. Cached per embedding tensor (a WeakMap, so it goes with
 * the model), which makes "once per model" true for the worker and the CLI alike.
 */
import * as tf from '@tensorflow/tfjs';
import { seededRandom, shuffle } from '../random';
import { yieldToEventLoop } from '../tuning/yieldToEventLoop';
import { vocabularyNorms, type VocabularyNorms } from './embeddingNorms';
import { embeddingPca, projectRows, type PcaBasis } from './pca';

export interface VocabularyAtlas {
  norms: VocabularyNorms;
  basis: PcaBasis;
  /** How long each part took, for the bench (npm run bench -- --only=vocabulary). */
  timings: { normsMs: number; pcaMs: number };
}

export interface MapPoint {
  id: number;
  x: number;
  y: number;
}

const cache = new WeakMap<tf.Tensor, Promise<VocabularyAtlas>>();

export function vocabularyAtlas(embeddings: tf.Tensor2D): Promise<VocabularyAtlas> {
  let atlas = cache.get(embeddings);
  if (!atlas) {
    atlas = computeAtlas(embeddings);
    cache.set(embeddings, atlas);
    atlas.catch(() => cache.delete(embeddings));
  }
  return atlas;
}

async function computeAtlas(embeddings: tf.Tensor2D): Promise<VocabularyAtlas> {
  const t0 = performance.now();
  const norms = await vocabularyNorms(embeddings);
  const t1 = performance.now();
  await yieldToEventLoop();
  const basis = await embeddingPca(embeddings, 2);
  return { norms, basis, timings: { normsMs: t1 - t0, pcaMs: performance.now() - t1 } };
}

/**
 * `count` vocabulary ids drawn without replacement (seeded, so the cloud is the same every time),
 * plus every id in `include` (label words), ascending.
 */
export function sampleVocabularyIds(vocabSize: number, count: number, include: number[] = [], seed = 0): number[] {
  const ids = shuffle(Array.from({ length: vocabSize }, (_, i) => i), seededRandom(seed)).slice(0, Math.min(count, vocabSize));
  const valid = include.filter((id) => Number.isInteger(id) && id >= 0 && id < vocabSize);
  return [...new Set([...ids, ...valid])].sort((a, b) => a - b);
}

/** The embeddings of `ids` on the map (one gather on the backend, |ids| × d numbers read back). */
export async function projectIds(embeddings: tf.Tensor2D, basis: PcaBasis, ids: number[]): Promise<MapPoint[]> {
  if (ids.length === 0) return [];
  const rows = tf.tidy(() => tf.gather(embeddings, tf.tensor1d(ids, 'int32')));
  const values = (await rows.data()) as Float32Array;
  rows.dispose();
  return projectRows(values, basis).map(([x, y], i) => ({ id: ids[i]!, x, y }));
}

/**
 * Each id list's mean embedding on the map: where a multi-piece label word sits (the same vector
 * the `labels` initialisation starts a prompt token from).
 */
export async function projectMeans(embeddings: tf.Tensor2D, basis: PcaBasis, idLists: number[][]): Promise<Array<[number, number] | undefined>> {
  const kept = idLists.map((ids) => ids.filter((id) => id >= 0 && id < embeddings.shape[0]));
  const nonEmpty = kept.filter((ids) => ids.length > 0);
  if (nonEmpty.length === 0) return kept.map(() => undefined);
  const means = tf.tidy(() => tf.concat(nonEmpty.map((ids) => tf.mean(tf.gather(embeddings, tf.tensor1d(ids, 'int32')), 0, true)), 0));
  const values = (await means.data()) as Float32Array;
  means.dispose();
  const points = projectRows(values, basis);
  let next = 0;
  return kept.map((ids) => (ids.length > 0 ? points[next++] : undefined));
}
