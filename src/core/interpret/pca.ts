/**
 * A fixed 2-D map of the embedding space: PCA of the vocabulary's input embeddings (mean-centred,
 * top two principal components). The basis depends only on the frozen model, so it is computed
 * once per model, and prompts from every checkpoint are projected onto the same axes, which is
 * what lets a prompt's path through training be drawn at all.
 */
import * as tf from '@tensorflow/tfjs';
import { yieldToEventLoop } from '../tuning/yieldToEventLoop';
import { topEigen } from './symmetricEigen';

export interface PcaBasis {
  width: number;
  /** The vocabulary's mean embedding [width]. */
  mean: Float64Array;
  /** Unit principal axes, largest variance first; each with its largest-magnitude entry positive. */
  components: Float64Array[];
  /** Variance along each axis. */
  variances: number[];
  /** Each axis's share of the total variance (0–1). */
  explained: number[];
}

/** Rows per covariance product: bounds the temporaries (2 × rows × d floats) on a 32k vocabulary. */
const ROWS_PER_PRODUCT = 8192;

/**
 * The covariance is formed on the backend as [d, rows] × [rows, d] products of the centred table,
 * chunk by chunk (V × d² multiply-adds in all: 8.4 G for 32k × 512, the only large cost), and read
 * back as d × d floats; the eigenvectors are found in float64 on the CPU. The chunk is transposed
 * explicitly: TF.js's WASM matMul with transposeA was 15× slower (33 s against 2.3 s at 32k × 512).
 */
export async function embeddingPca(embeddings: tf.Tensor2D, components = 2): Promise<PcaBasis> {
  const [rows, width] = embeddings.shape;
  if (rows < 2) throw new Error('PCA needs at least two embeddings');
  const meanT = tf.mean(embeddings, 0);
  let covT: tf.Tensor2D = tf.zeros([width, width]);
  for (let start = 0; start < rows; start += ROWS_PER_PRODUCT) {
    const next = tf.tidy(() => {
      const centred = tf.sub(tf.slice(embeddings, [start, 0], [Math.min(ROWS_PER_PRODUCT, rows - start), width]), meanT);
      return tf.add(covT, tf.matMul(tf.transpose(centred), centred)) as tf.Tensor2D;
    });
    covT.dispose();
    covT = next;
    // One chunk at a time, with the worker's queued messages (pause, stop) served in between.
    await covT.data();
    await yieldToEventLoop();
  }
  const [meanValues, cov] = await Promise.all([meanT.data(), covT.data()]);
  tf.dispose([meanT, covT]);
  const scaled = Float64Array.from(cov, (x) => x / (rows - 1));
  return pcaFromCovariance(Float64Array.from(meanValues), scaled, width, components);
}

/** The basis from a mean and a covariance (row-major d × d); exported for tests with a known matrix. */
export function pcaFromCovariance(mean: Float64Array, covariance: ArrayLike<number>, width: number, components = 2): PcaBasis {
  // Symmetrise: a float32 product is symmetric only to rounding.
  const c = new Float64Array(width * width);
  for (let i = 0; i < width; i++) for (let j = 0; j < width; j++) c[i * width + j] = (covariance[i * width + j]! + covariance[j * width + i]!) / 2;
  let trace = 0;
  for (let i = 0; i < width; i++) trace += c[i * width + i]!;
  const k = Math.min(components, width);
  const { values, vectors } = topEigen(c, width, k);
  return {
    width,
    mean,
    components: vectors.map(fixSign),
    variances: values.map((v) => Math.max(0, v)),
    explained: values.map((v) => (trace > 0 ? Math.max(0, v) / trace : 0)),
  };
}

/** An eigenvector's sign is arbitrary; this one keeps the map from flipping between runs and backends. */
function fixSign(v: Float64Array): Float64Array {
  let at = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[at]!)) at = i;
  return v[at]! < 0 ? v.map((x) => -x) : v;
}

/** Row-major [n, width] rows → their coordinates on the first two axes, [x, y] per row. */
export function projectRows(values: ArrayLike<number>, basis: PcaBasis): Array<[number, number]> {
  const { width, mean } = basis;
  const [a, b] = basis.components;
  const n = values.length / width;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    let x = 0;
    let y = 0;
    for (let j = 0; j < width; j++) {
      const centred = values[i * width + j]! - mean[j]!;
      x += centred * a![j]!;
      y += b ? centred * b[j]! : 0;
    }
    out.push([x, y]);
  }
  return out;
}
