/**
 * The device memory a prompt-tuning run will need, computed from the model's config and the run's
 * settings before anything downloads: the frozen weights, the transposed copies the attention and
 * feed-forward layers cache (linear.ts), the activations of the largest pass (a training pass as microBatches.ts cuts
 * it, or a validation chunk, which keeps every intermediate of its forward pass until it ends), and
 * the prompts with their optimiser state. All float32, as the model runs.
 *
 * The activation terms count the tensors each custom-gradient unit saves (attention: q, k, v, the
 * probabilities and their dropout mask; gated feed-forward: both projections and the mask; ...);
 * the constants were fitted to peaks measured with tf.profile on random T5s
 * (test/core/model/memoryEstimate.test.ts checks the estimate bounds the measured peak).
 */
import { paddedLength } from '../tuning/lengthBuckets';
import type { T5Config } from './t5Config';
import { expectedParameters, parameterCount } from './t5Parameters';

const F32 = 4;

export interface RunShape {
  batchSize: number;
  /** Soft prompt tokens P. */
  promptLength: number;
  /** Encoder tokens per row, prompt included (the longest rows are assumed). */
  maxInputTokens: number;
  ensembleSize: number;
  optimizer: 'adafactor' | 'adam';
  /** Encoder tokens in one training pass (TrainerConfig.maxTokensPerPass). */
  maxTokensPerPass: number;
  /** Labels scored per example at validation. */
  labels?: number;
  /** Target tokens per label, </s> included. */
  targetTokens?: number;
  /** Dropout on (masks are kept for the backward pass). */
  dropout?: boolean;
}

export interface MemoryNeed {
  weights: number;
  /** Transposed copies of the weight matrices, made on first use and kept. */
  cachedCopies: number;
  /** The largest pass: training (forward + backward) or validation (forward, every intermediate kept). */
  activations: number;
  /** Prompts, their last good and best copies, and the optimiser's state. */
  optimizer: number;
  total: number;
  /** The single biggest tensor (a GPU buffer must hold it whole). */
  largestTensor: number;
  /** Bytes of each pass's activations; the larger is `activations`. */
  passes: { training: number; validation: number };
  /** Which pass is the largest, and its size. */
  largestPass: { kind: 'training' | 'validation'; rows: number; tokensPerRow: number };
}

/**
 * On WASM and WebGPU every attention and feed-forward matrix gets a cached [in, out] transpose
 * (linear.ts's cachesTransposes; none on CPU and WebGL, where this over-counts); the embeddings,
 * the output head and the position biases never do.
 */
function cachedCopyBytes(c: T5Config): number {
  let n = 0;
  for (const [name, shape] of expectedParameters(c)) {
    if (shape.length !== 2 || name.includes('relative_attention_bias')) continue;
    if (name === 'shared.weight' || name === 'lm_head.weight') continue;
    n += shape[0]! * shape[1]!;
  }
  return n * F32;
}

/** The backward pass's working set, in layers' worth of saved activations. */
const BACKWARD_LAYERS = 2;
/**
 * Measured training peaks run 1.5-1.7× the tensors counted here (TF.js materialises reshapes and
 * holds each layer's input gradient until the layer below is done); the estimate takes the top.
 */
const TRAINING_FACTOR = 1.75;

/** Floats one encoder layer keeps per row of `L` tokens for the backward pass. */
function savedPerLayer(c: T5Config, L: number, dropout: boolean): number {
  const inner = c.numHeads * c.dKv;
  const ffn = (c.isGated ? 3 : 2) * c.dFf + (dropout ? c.dFf : 0);
  const attention = 3 * L * inner + (dropout ? 3 : 2) * c.numHeads * L * L;
  // The residual stream, norm inputs and dropout masks: a handful of d_model-wide tensors.
  return attention + L * ffn + 6 * L * c.dModel;
}

/**
 * Floats a validation pass holds per row at its peak. The encoder's layers run one at a time, so
 * one layer's intermediates (dominated by the per-head L × L scores) are alive at once, plus every
 * layer's output; each label then gets its own copy of the encoder output for the decoder.
 */
function validationPerRow(c: T5Config, L: number, labels: number, T: number): number {
  const inner = c.numHeads * c.dKv;
  const layer = VALIDATION_SCORES * c.numHeads * L * L + VALIDATION_WIDTHS * L * (c.dModel + inner + c.dFf);
  const decoder = labels * (L * c.dModel + T * (c.numDecoderLayers * (L * c.numHeads + 8 * c.dModel + 3 * c.dFf) + 2 * c.vocabSize));
  return layer + 2 * c.numLayers * L * c.dModel + decoder;
}

/** Fitted to tf.profile peaks of validation passes on random T5s (see the file comment). */
const VALIDATION_SCORES = 7;
const VALIDATION_WIDTHS = 11;

export function estimateMemory(c: T5Config, run: RunShape): MemoryNeed {
  const weights = parameterCount(c) * F32;
  const cachedCopies = cachedCopyBytes(c);
  const labels = run.labels ?? 2;
  const T = run.targetTokens ?? 4;
  const dropout = run.dropout ?? c.dropoutRate > 0;
  const L = paddedLength(Math.max(1, run.maxInputTokens - run.promptLength)) + run.promptLength;
  const allRows = run.batchSize * run.ensembleSize;
  const trainRows = Math.min(allRows, Math.max(1, Math.floor(run.maxTokensPerPass / L)));
  // Backward: everything saved, plus the working set of the layer being differentiated and the logits' gradient.
  const logits = T * c.vocabSize * 3;
  const training = TRAINING_FACTOR * trainRows * (c.numLayers * savedPerLayer(c, L, dropout) + BACKWARD_LAYERS * savedPerLayer(c, L, dropout) + c.numDecoderLayers * T * (L * c.numHeads + 8 * c.dModel + 3 * c.dFf) + logits);
  // Validation scores batchSize examples under every prompt at once.
  const evalRows = allRows;
  const validation = evalRows * validationPerRow(c, L, labels, T);
  const largestPass = training >= validation ? { kind: 'training' as const, rows: trainRows, tokensPerRow: L } : { kind: 'validation' as const, rows: evalRows, tokensPerRow: L };
  const activations = Math.max(training, validation) * F32;
  const passes = { training: training * F32, validation: validation * F32 };
  const prompt = run.ensembleSize * run.promptLength * c.dModel * F32;
  // Variable, last good copy, best copy, the gradient; Adafactor keeps one moment, Adam two.
  const optimizer = prompt * (4 + (run.optimizer === 'adam' ? 2 : 1));
  const embedding = c.vocabSize * c.dModel * F32;
  const attentionScores = largestPass.rows * c.numHeads * L * L * F32;
  return {
    weights,
    cachedCopies,
    activations,
    optimizer,
    total: weights + cachedCopies + activations + optimizer,
    passes,
    largestTensor: Math.max(embedding, attentionScores, trainRows * T * c.vocabSize * F32),
    largestPass,
  };
}
