/**
 * The memory a run needs, before any download: the estimate bounds the peak tf.profile measures on
 * random T5s through the app's own trainer and validation (within 1.5×), and decides what the
 * device refuses, with the numbers and changes that would fit.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { randomT5 } from '../../../bench/randomT5';
import { evaluateEnsemble } from '../../../src/core/eval/evaluateEnsemble';
import { cpuBudget, wasmBudget, webgpuBudget } from '../../../src/core/model/deviceBudget';
import { estimateMemory, type RunShape } from '../../../src/core/model/memoryEstimate';
import { checkMemory } from '../../../src/core/model/memoryFit';
import { findKnownT5, t5 } from '../../../src/core/model/t5Catalogue';
import { PromptTrainer } from '../../../src/core/tuning/trainer';

const paper: RunShape = { batchSize: 32, promptLength: 100, maxInputTokens: 256, ensembleSize: 1, optimizer: 'adafactor', maxTokensPerPass: 2048 };
const known = (id: string) => findKnownT5(id)!.config;

/** Peak tensor bytes of one training step and of one validation pass (tf.profile reuses its result object: copy it). */
async function measure(config: ReturnType<typeof t5>, run: { batch: number; P: number; length: number; pass: number }) {
  const model = randomT5({ ...config, dropoutRate: 0.1 });
  const examples = Array.from({ length: run.batch * 2 }, (_, i) => ({ inputIds: Array.from({ length: run.length - run.P }, (_, j) => 3 + ((i * 7 + j) % (config.vocabSize - 3))), labelIndex: i % 2 }));
  const targets = [[5, 6, 7, 1], [8, 9, 10, 1]];
  const trainer = new PromptTrainer(model, { train: examples, validation: examples.slice(0, run.batch), targets, labelTokenIds: [[5], [8]] }, { promptLength: run.P, batchSize: run.batch, init: 'random', maxTokensPerPass: run.pass });
  await trainer.initialise();
  trainer.trainStep().memberLosses.dispose(); // the first step makes the cached weight copies
  const validation = { ...(await tf.profile(async () => void (await evaluateEnsemble(model, trainer.promptVariables, examples.slice(0, run.batch), targets, { batchSize: run.batch })))) }.peakBytes;
  const training = { ...(await tf.profile(() => trainer.trainStep().memberLosses.dispose())) }.peakBytes;
  trainer.dispose();
  model.dispose();
  return Math.max(training, validation);
}

describe('estimateMemory', () => {
  it.each([
    { name: 'gated, short rows, training dominates', config: t5({ vocabSize: 1000, dModel: 128, dKv: 32, numHeads: 4, dFf: 256, numLayers: 2, numDecoderLayers: 2, isGated: true, tieWordEmbeddings: false }), run: { batch: 8, P: 8, length: 64, pass: 2048 } },
    { name: 'ReLU, tied, long rows', config: t5({ vocabSize: 2000, dModel: 128, dKv: 32, numHeads: 4, dFf: 256, numLayers: 2, numDecoderLayers: 2, isGated: false, tieWordEmbeddings: true }), run: { batch: 3, P: 8, length: 240, pass: 2048 } },
  ])('bounds the measured peak ($name)', async ({ config, run }) => {
    const measured = await measure(config, run);
    const estimate = estimateMemory({ ...config, dropoutRate: 0.1 }, { batchSize: run.batch, promptLength: run.P, maxInputTokens: run.length, ensembleSize: 1, optimizer: 'adafactor', maxTokensPerPass: run.pass, labels: 2, targetTokens: 4 });
    console.log(`memory estimate ${(estimate.total / 2 ** 20).toFixed(1)} MiB, measured peak ${(measured / 2 ** 20).toFixed(1)} MiB`);
    expect(estimate.total).toBeGreaterThanOrEqual(measured);
    expect(estimate.total).toBeLessThan(1.5 * measured);
  });

  it('counts the weights exactly and a transposed copy of every attention and feed-forward matrix', () => {
    const need = estimateMemory(known('google/flan-t5-base'), paper);
    expect(need.weights).toBe(247_577_856 * 4);
    // Everything but the input embedding, the output head, the position biases and the norms.
    expect(need.cachedCopies).toBe((247_577_856 - 2 * 32128 * 768 - 2 * 32 * 12 - 768 * (12 * 2 + 12 * 3 + 2)) * 4);
    // 156 text tokens pad to 160, plus the prompt: 260 per row, 7 rows in a 2048-token pass.
    expect(need.largestPass).toEqual({ kind: 'training', rows: 7, tokensPerRow: 260 });
  });
});

describe('checkMemory', () => {
  it('lets T5 small train on WebAssembly with the paper’s settings, and says why base and large do not, with what would fit', () => {
    expect(wasmBudget().totalBytes).toBe(2.6e9);
    const small = checkMemory(known('google/t5-small-lm-adapt'), paper, wasmBudget());
    expect(small.fits).toBe(true);
    expect(small.message).toMatch(/^needs about 2\.\d GB \(weights 308 MB, cached copies 176 MB, activations of the largest training pass 1\.\d GB \(7 rows × 260 tokens\), prompts and optimiser 1\.0 MB\); WebAssembly's 4 GiB heap \(measured in training\) holds about 2\.6 GB of tensors$/);
    const base = checkMemory(known('google/flan-t5-base'), paper, wasmBudget());
    expect(base.fits).toBe(false);
    expect(base.message).toMatch(/^This run needs about \d\.\d GB \(weights 990 MB, cached copies 793 MB, .*\) but WebAssembly's 4 GiB heap \(measured in training\) holds about 2\.6 GB of tensors\. Would fit: batch size 1 \(about 2\.\d GB\)\.$/);
    const large = checkMemory(known('google/flan-t5-large'), { ...paper, batchSize: 1 }, wasmBudget(), [{ name: 'Flan-T5 base', config: known('google/flan-t5-base') }]);
    expect(large.fits).toBe(false);
    expect(large.message).toMatch(/weights 3\.1 GB, cached copies 2\.9 GB/);
    expect(large.suggestions).toEqual([expect.stringMatching(/^a smaller model, Flan-T5 base \(about \d\.\d GB\)$/)]);
  });

  it('offers, per kind of change, the mildest that fits: the largest batch, the longest input', () => {
    const tight = { ...wasmBudget(), totalBytes: 2.7e9 };
    const run = { ...paper, batchSize: 4, maxInputTokens: 1024, maxTokensPerPass: 8192 };
    const v = checkMemory(known('google/t5-small-lm-adapt'), run, tight);
    expect(v.fits).toBe(false);
    const batch = Number(/batch size (\d+)/.exec(v.suggestions.join())![1]);
    expect(checkMemory(known('google/t5-small-lm-adapt'), { ...run, batchSize: batch }, tight).fits).toBe(true);
    expect(checkMemory(known('google/t5-small-lm-adapt'), { ...run, batchSize: batch + 1 }, tight).fits).toBe(false);
    expect(v.suggestions.some((s) => s.startsWith('maximum input length '))).toBe(true);
  });

  it('refuses a tensor bigger than one GPU buffer, and trusts a GPU that held everything asked', () => {
    const limits = { maxBufferSize: 2 ** 28, maxStorageBufferBindingSize: 2 ** 27 };
    const xl = checkMemory(known('google/flan-t5-xl'), paper, webgpuBudget(limits, { bytes: 40e9, reachedTarget: true }));
    expect(xl.message).toContain('its largest tensor takes 263 MB but one buffer on this device holds at most 134 MB');
    expect(checkMemory(known('google/flan-t5-large'), paper, webgpuBudget(limits, { bytes: 40e9, reachedTarget: true })).fits).toBe(true);
    expect(checkMemory(known('google/flan-t5-large'), paper, webgpuBudget(limits, { bytes: 3e9, reachedTarget: false })).fits).toBe(false);
    expect(checkMemory(known('google/flan-t5-large'), paper, cpuBudget()).fits).toBe(true);
  });
});
