/**
 * Everything the studio's Watch panel and the CLI's `interpret` show about one prompt, from one
 * function: neighbours with their cosine, each token's norm against the vocabulary's, the prompt on
 * the vocabulary's PCA map, and (when the initial prompt is known) how far each token moved.
 */
import * as tf from '@tensorflow/tfjs';
import type { LoadedT5 } from '../model/loadT5';
import type { SoftPrompt } from '../promptFile/softPrompt';
import { driftPoint } from './drift';
import { promptNorms, type TokenNorm } from './embeddingNorms';
import { nearestNeighbours, withTokens, type NeighbourRow } from './nearestNeighbours';
import { projectRows } from './pca';
import { rowNorms } from './rows';
import { projectIds, projectMeans, sampleVocabularyIds, vocabularyAtlas } from './vocabularyAtlas';

export interface LabelPoint {
  text: string;
  x: number;
  y: number;
}

export interface PromptProjection {
  /** Share of the vocabulary's variance along each of the two axes. */
  explained: number[];
  /** [x, y] per prompt token. */
  prompt: Array<[number, number]>;
  /** Sampled vocabulary points: [id, x, y]. */
  vocabulary: Array<[number, number, number]>;
  /** Each label text's mean embedding (what the `labels` init starts from). */
  labels: LabelPoint[];
  /** [x, y] per token of the initial prompt, when it is known: where each token started. */
  initial?: Array<[number, number]>;
}

export interface TokenDrift {
  /** Per token: the initial vector's norm. */
  initialNorm: number[];
  /** Per token: cosine between the initial and the current vector. */
  cosine: number[];
  /** Per token: the current norm. */
  norm: number[];
}

export interface PromptInterpretation {
  neighbours: NeighbourRow[][];
  norms: TokenNorm[];
  vocabularyNorms: { min: number; median: number; max: number };
  projection: PromptProjection;
  drift?: TokenDrift;
}

export interface InterpretOptions {
  /** Neighbours per prompt token (default 5). */
  k?: number;
  /** Vocabulary points on the map (default 1000). */
  sample?: number;
  /** Label texts: marked on the map (and their pieces added to the sampled cloud). */
  labels?: string[];
  /** The prompt before training (row-major, same shape), for drift. */
  initial?: Float32Array;
}

export const DEFAULT_MAP_SAMPLE = 1000;

export interface VocabularyMap {
  explained: number[];
  /** Sampled vocabulary points: [id, x, y]. */
  vocabulary: Array<[number, number, number]>;
  labels: LabelPoint[];
  vocabularyNorms: { min: number; median: number; max: number };
}

/** The vocabulary's side of the map: a seeded sample of its tokens and the label words, on the PCA axes. */
export async function vocabularyMap(loaded: LoadedT5, options: Pick<InterpretOptions, 'sample' | 'labels'> = {}): Promise<VocabularyMap> {
  const embeddings = loaded.model.weights.shared;
  const atlas = await vocabularyAtlas(embeddings);
  const labels = options.labels ?? [];
  const labelIds = labels.map((t) => loaded.tokenizer?.encode(t).slice(0, -1) ?? []);
  const sampled = sampleVocabularyIds(embeddings.shape[0], options.sample ?? DEFAULT_MAP_SAMPLE, labelIds.flat());
  const [points, labelPoints] = await Promise.all([projectIds(embeddings, atlas.basis, sampled), projectMeans(embeddings, atlas.basis, labelIds)]);
  const { min, median, max } = atlas.norms;
  return {
    explained: atlas.basis.explained,
    vocabulary: points.map((p) => [p.id, p.x, p.y]),
    labels: labels.flatMap((text, i) => (labelPoints[i] ? [{ text, x: labelPoints[i]![0], y: labelPoints[i]![1] }] : [])),
    vocabularyNorms: { min, median, max },
  };
}

export async function interpretPrompt(loaded: LoadedT5, prompt: SoftPrompt, options: InterpretOptions = {}): Promise<PromptInterpretation> {
  const embeddings = loaded.model.weights.shared;
  const atlas = await vocabularyAtlas(embeddings);
  const tensor = tf.tensor2d(prompt.values, [prompt.length, prompt.width]);
  let neighbours: NeighbourRow[][];
  try {
    neighbours = withTokens(await nearestNeighbours(tensor, embeddings, options.k ?? 5), (id) => loaded.tokenizer?.token(id));
  } finally {
    tensor.dispose();
  }
  const map = await vocabularyMap(loaded, options);
  return {
    neighbours,
    norms: promptNorms(prompt.values, prompt.width, atlas.norms),
    vocabularyNorms: map.vocabularyNorms,
    projection: {
      explained: map.explained,
      prompt: projectRows(prompt.values, atlas.basis),
      vocabulary: map.vocabulary,
      labels: map.labels,
      ...(options.initial ? { initial: projectRows(options.initial, atlas.basis) } : {}),
    },
    ...(options.initial ? { drift: tokenDrift(options.initial, prompt) } : {}),
  };
}

function tokenDrift(initial: Float32Array, prompt: SoftPrompt): TokenDrift {
  const point = driftPoint(initial, prompt.values, prompt.width, 0);
  return { initialNorm: rowNorms(initial, prompt.width), cosine: point.cosine, norm: point.norm };
}
