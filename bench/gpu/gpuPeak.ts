/**
 * The arithmetic behind `bench/gpu.sh`: a GPU's peak FP32 throughput from its name (nvidia-smi's),
 * the floating-point work of one prompt-tuning step, and the fraction of the peak a measured step
 * reaches. Pure, so test/bench/gpuPeak.test.ts checks it without a GPU.
 */
import type { T5Config } from '../../src/core/model/t5Config';
import type { StepShape } from '../types.ts';

/**
 * Dense FP32 peaks (non-tensor-core, boost clock, TFLOPS) from the vendors' data sheets; more
 * specific names first. Tensor-core TF32/FP16 peaks are higher, but TF.js's WebGPU shaders do
 * plain FP32 arithmetic, so this is the ceiling they can approach.
 */
export const PEAK_FP32_TFLOPS: ReadonlyArray<{ match: RegExp; name: string; tflops: number }> = [
  { match: /GH200/i, name: 'GH200', tflops: 67 },
  { match: /H200/i, name: 'H200', tflops: 67 },
  { match: /H100.*PCIe/i, name: 'H100 PCIe', tflops: 51 },
  { match: /H100.*NVL/i, name: 'H100 NVL', tflops: 60 },
  { match: /H100/i, name: 'H100 SXM', tflops: 67 },
  { match: /A100/i, name: 'A100', tflops: 19.5 },
  { match: /L40S/i, name: 'L40S', tflops: 91.6 },
  { match: /L40/i, name: 'L40', tflops: 90.5 },
  { match: /\bL4\b/i, name: 'L4', tflops: 30.3 },
  { match: /A10G/i, name: 'A10G', tflops: 31.2 },
  { match: /\bA10\b/i, name: 'A10', tflops: 31.2 },
  { match: /V100/i, name: 'V100', tflops: 15.7 },
  { match: /\bT4\b/i, name: 'T4', tflops: 8.1 },
  { match: /RTX 6000 Ada/i, name: 'RTX 6000 Ada', tflops: 91.1 },
  { match: /RTX A6000/i, name: 'RTX A6000', tflops: 38.7 },
  { match: /RTX 5090/i, name: 'RTX 5090', tflops: 104.8 },
  { match: /RTX 4090/i, name: 'RTX 4090', tflops: 82.6 },
  { match: /RTX 4080/i, name: 'RTX 4080', tflops: 48.7 },
  { match: /RTX 4070 Ti/i, name: 'RTX 4070 Ti', tflops: 40.1 },
  { match: /RTX 3090 Ti/i, name: 'RTX 3090 Ti', tflops: 40 },
  { match: /RTX 3090/i, name: 'RTX 3090', tflops: 35.6 },
  { match: /RTX 3080 Ti/i, name: 'RTX 3080 Ti', tflops: 34.1 },
  { match: /RTX 3080/i, name: 'RTX 3080', tflops: 29.8 },
  { match: /RTX 3070/i, name: 'RTX 3070', tflops: 20.3 },
  { match: /RTX 2080 Ti/i, name: 'RTX 2080 Ti', tflops: 13.4 },
];

export interface Peak {
  tflops: number;
  /** Where the number came from, for the report. */
  source: string;
}

/** The peak for this GPU: GPU_PEAK_TFLOPS when set (any GPU), else the table; undefined when neither knows it. */
export function peakFor(gpuName: string, override?: string): Peak | undefined {
  if (override !== undefined && override.trim() !== '') {
    const tflops = Number(override);
    if (!Number.isFinite(tflops) || tflops <= 0) throw new Error(`GPU_PEAK_TFLOPS must be a positive number of TFLOPS, got "${override}"`);
    return { tflops, source: 'GPU_PEAK_TFLOPS' };
  }
  const known = PEAK_FP32_TFLOPS.find((p) => p.match.test(gpuName));
  return known && { tflops: known.tflops, source: `FP32 peak of the ${known.name} (data sheet)` };
}

/**
 * Floating-point operations of one training step as a plain T5 computes it (PyTorch eager's
 * arithmetic, the usual "model FLOPs"): the forward pass over prompt + input in the encoder and the
 * target in the decoder, and the backward pass for input gradients only (the weights are frozen,
 * the gradient flows to the prompt). A product with a frozen weight costs its forward again
 * backward (dX = dY·Wᵀ); a product of two activations (attention scores, attention × values)
 * costs twice (both operands need a gradient). Multiply-add = 2 FLOPs; elementwise work is not
 * counted. The app's absorbed cross-attention does less than this, so it can reach a larger share.
 */
export function stepFlops(c: T5Config, shape: StepShape, targetLength = 2): number {
  const n = shape.inputLength + shape.promptLength;
  const T = targetLength;
  const inner = c.numHeads * c.dKv;
  const ffn = (rows: number) => 2 * rows * c.dModel * c.dFf * (c.isGated ? 3 : 2);
  // Per example: products with a weight, and products of two activations.
  const encoderWeights = c.numLayers * (4 * 2 * n * c.dModel * inner + ffn(n));
  const encoderScores = c.numLayers * (2 * 2 * n * n * inner);
  const decoderWeights = c.numDecoderLayers * (4 * 2 * T * c.dModel * inner + 2 * 2 * T * c.dModel * inner + 2 * 2 * n * c.dModel * inner + ffn(T)) + 2 * T * c.dModel * c.vocabSize;
  const decoderScores = c.numDecoderLayers * (2 * 2 * T * T * inner + 2 * 2 * T * n * inner);
  const weights = encoderWeights + decoderWeights;
  const scores = encoderScores + decoderScores;
  return shape.batch * (2 * weights + 3 * scores);
}

export interface GpuStepReport {
  stepMs: number;
  tokensPerSecond: number;
  gflopPerStep: number;
  achievedTflops: number;
  /** Achieved over peak, 0–1; undefined without a peak. */
  fractionOfPeak?: number;
}

export function gpuStepReport(stepMs: number, shape: StepShape, flops: number, peak: Peak | undefined): GpuStepReport {
  if (!(stepMs > 0)) throw new Error(`a step time must be positive, got ${stepMs} ms`);
  const achievedTflops = flops / (stepMs / 1000) / 1e12;
  return {
    stepMs,
    tokensPerSecond: ((shape.inputLength + shape.promptLength) * shape.batch) / (stepMs / 1000),
    gflopPerStep: flops / 1e9,
    achievedTflops,
    fractionOfPeak: peak ? achievedTflops / peak.tflops : undefined,
  };
}

/**
 * Chromium flags for WebGPU on the machine's real GPU, headless, through Vulkan (ANGLE on Vulkan
 * too, so WebGL also uses the GPU). The tests' flags pin SwiftShader instead (tools/chromium.ts).
 */
export const GPU_CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--ignore-gpu-blocklist',
  '--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan',
  '--use-angle=vulkan',
  '--use-vulkan=native',
  '--disable-vulkan-surface',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Adapters that are a CPU: a "GPU" run on one of them measured nothing. */
export const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|software|fallback/i;
