// bench/gpu.sh's arithmetic without a GPU: the peak table, the step's FLOPs counted matmul by matmul, the fraction.
import { describe, expect, it } from 'vitest';
import { GPU_CHROMIUM_ARGS, gpuStepReport, peakFor, SOFTWARE_ADAPTER, stepFlops } from '../../bench/gpu/gpuPeak';
import type { T5Config } from '../../src/core/model/t5Config';
import { T5_V1_1_SMALL } from '../../src/core/model/presets';

describe('peakFor', () => {
  it('reads the peak from nvidia-smi names, the more specific model first', () => {
    expect(peakFor('NVIDIA H200')?.tflops).toBe(67);
    expect(peakFor('NVIDIA H100 PCIe')?.tflops).toBe(51);
    expect(peakFor('NVIDIA H100 80GB HBM3')?.tflops).toBe(67);
    expect(peakFor('NVIDIA A100-SXM4-80GB')?.tflops).toBe(19.5);
    expect(peakFor('NVIDIA L4')?.tflops).toBe(30.3);
    expect(peakFor('NVIDIA L40S')?.tflops).toBe(91.6);
    expect(peakFor('Tesla T4')?.tflops).toBe(8.1);
    expect(peakFor('NVIDIA GeForce RTX 4090')?.tflops).toBe(82.6);
    expect(peakFor('NVIDIA GeForce RTX 3090 Ti')?.tflops).toBe(40);
    expect(peakFor('NVIDIA GeForce RTX 3090')?.tflops).toBe(35.6);
    expect(peakFor('NVIDIA A10G')?.tflops).toBe(31.2);
    expect(peakFor('NVIDIA H200')?.source).toMatch(/H200/);
  });

  it('does not guess an unknown GPU, and GPU_PEAK_TFLOPS wins over the table', () => {
    expect(peakFor('Some Future GPU 9000')).toBeUndefined();
    // "L4" must not match inside other names.
    expect(peakFor('NVIDIA GeForce GTX 1050')).toBeUndefined();
    expect(peakFor('NVIDIA H200', '50')).toEqual({ tflops: 50, source: 'GPU_PEAK_TFLOPS' });
    expect(peakFor('Some Future GPU 9000', '12.5')?.tflops).toBe(12.5);
    expect(peakFor('NVIDIA H200', '')?.tflops).toBe(67);
    expect(() => peakFor('NVIDIA H200', 'fast')).toThrow(/GPU_PEAK_TFLOPS must be a positive number/);
    expect(() => peakFor('NVIDIA H200', '-3')).toThrow(/positive/);
  });
});

/** The step's FLOPs by listing every product [m×k]·[k×n] and what its backward costs, per example. */
function flopsByListing(c: T5Config, inputLength: number, promptLength: number, batch: number, T = 2): number {
  const n = inputLength + promptLength;
  const inner = c.numHeads * c.dKv;
  const products: Array<{ m: number; k: number; n: number; twoActivations: boolean }> = [];
  const weight = (m: number, k: number, nn: number) => products.push({ m, k, n: nn, twoActivations: false });
  const activations = (m: number, k: number, nn: number) => products.push({ m, k, n: nn, twoActivations: true });
  const ffn = (rows: number) => {
    const mats = c.isGated ? ['wi_0', 'wi_1'] : ['wi'];
    for (const _ of mats) weight(rows, c.dModel, c.dFf);
    weight(rows, c.dFf, c.dModel);
  };
  for (let l = 0; l < c.numLayers; l++) {
    for (const _ of ['q', 'k', 'v']) weight(n, c.dModel, inner);
    for (let h = 0; h < c.numHeads; h++) activations(n, c.dKv, n), activations(n, n, c.dKv);
    weight(n, inner, c.dModel);
    ffn(n);
  }
  for (let l = 0; l < c.numDecoderLayers; l++) {
    for (const _ of ['q', 'k', 'v']) weight(T, c.dModel, inner);
    for (let h = 0; h < c.numHeads; h++) activations(T, c.dKv, T), activations(T, T, c.dKv);
    weight(T, inner, c.dModel);
    weight(T, c.dModel, inner); // cross q
    weight(n, c.dModel, inner); // cross k over the encoder
    weight(n, c.dModel, inner); // cross v
    for (let h = 0; h < c.numHeads; h++) activations(T, c.dKv, n), activations(T, n, c.dKv);
    weight(T, inner, c.dModel);
    ffn(T);
  }
  weight(T, c.dModel, c.vocabSize);
  let total = 0;
  for (const p of products) {
    const forward = 2 * p.m * p.k * p.n;
    total += forward + (p.twoActivations ? 2 : 1) * forward;
  }
  return batch * total;
}

describe('stepFlops', () => {
  const tiny: T5Config = { ...T5_V1_1_SMALL, vocabSize: 50, dModel: 8, dKv: 2, numHeads: 3, dFf: 12, numLayers: 2, numDecoderLayers: 1 };

  it('matches a count of every product in the step, gated and not', () => {
    expect(stepFlops(tiny, { batch: 3, inputLength: 5, promptLength: 4 })).toBe(flopsByListing(tiny, 5, 4, 3));
    const relu = { ...tiny, isGated: false };
    expect(stepFlops(relu, { batch: 2, inputLength: 7, promptLength: 1 })).toBe(flopsByListing(relu, 7, 1, 2));
    expect(stepFlops(T5_V1_1_SMALL, { batch: 32, inputLength: 128, promptLength: 100 })).toBe(flopsByListing(T5_V1_1_SMALL, 128, 100, 32));
  });

  it('is about 64 GFLOP for the bench step of T5 v1.1 small (batch 8, 64 + 20 tokens)', () => {
    // Hand count: encoder 8 layers × 8 rows × (4·2·84·512·384 + 3·2·84·512·1024 + 2·2·84²·384) ≈ 26.1 G
    // forward; the decoder and head ≈ 5.5 G; backward about as much again.
    expect(stepFlops(T5_V1_1_SMALL, { batch: 8, inputLength: 64, promptLength: 20 }) / 1e9).toBeCloseTo(63.78, 1);
  });
});

describe('gpuStepReport', () => {
  it('turns a step time into tokens/s, TFLOP/s and the share of the peak', () => {
    const r = gpuStepReport(250, { batch: 32, inputLength: 128, promptLength: 100 }, 5e12, { tflops: 40, source: 'test' });
    expect(r.tokensPerSecond).toBeCloseTo((228 * 32) / 0.25, 6);
    expect(r.achievedTflops).toBeCloseTo(20, 9);
    expect(r.fractionOfPeak).toBeCloseTo(0.5, 9);
    expect(r.gflopPerStep).toBe(5000);
    expect(gpuStepReport(1000, { batch: 1, inputLength: 1, promptLength: 1 }, 1e12, undefined).fractionOfPeak).toBeUndefined();
    expect(() => gpuStepReport(0, { batch: 1, inputLength: 1, promptLength: 1 }, 1, undefined)).toThrow(/positive/);
  });
});

describe('the GPU flags', () => {
  it('ask for the hardware adapter through Vulkan, never SwiftShader, and spot software adapters', () => {
    expect(GPU_CHROMIUM_ARGS).toContain('--enable-unsafe-webgpu');
    expect(GPU_CHROMIUM_ARGS).toContain('--use-angle=vulkan');
    expect(GPU_CHROMIUM_ARGS.some((a) => /swiftshader/i.test(a))).toBe(false);
    expect(SOFTWARE_ADAPTER.test('google / swiftshader')).toBe(true);
    expect(SOFTWARE_ADAPTER.test('nvidia / hopper / NVIDIA H200')).toBe(false);
  });
});
