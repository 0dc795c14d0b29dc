/**
 * `bench/gpu.sh` (which installs what is missing and calls this): one prompt-tuning training step
 * of a T5 v1.1 small shape through TF.js's WebGPU backend in headless Chromium on the machine's real
 * GPU (Vulkan), timed as `npm run bench` times it (bench page, random weights, the app's
 * PromptTrainer), and reported as step time, tokens/s and the fraction of the GPU's FP32 peak.
 *
 * Flags: --shape=B,L,P (default 32,128,100: the paper's batch, 128 input tokens, a 100-token
 * prompt), --reps=N timed steps after the warm-up (default 10), --budget=SECONDS for the timed
 * steps (default 240), --dry-run (WebGPU on SwiftShader, shape 1,8,4, 2 steps: checks the
 * plumbing on a machine without a GPU; its numbers mean nothing).
 * Environment: GPU_NAME (else nvidia-smi's), GPU_PEAK_TFLOPS (else the table in gpu/gpuPeak.ts),
 * GPU_BENCH_CHROMIUM_ARGS (space-separated, replaces the GPU flags), CHROMIUM_PATH.
 */
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../tools/chromium.ts';
import { GPU_CHROMIUM_ARGS, gpuStepReport, peakFor, SOFTWARE_ADAPTER, stepFlops } from './gpu/gpuPeak.ts';
import { openBackend } from './perf/pageDriver.ts';
import { startServer } from './perf/server.ts';
import { BENCH_CONFIG } from './randomT5.ts';
import type { StepResult, StepShape } from './types.ts';

const argv = process.argv.slice(2);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const dryRun = argv.includes('--dry-run');
const numbers = (option('shape') ?? (dryRun ? '1,8,4' : '32,128,100')).split(',').map(Number);
if (numbers.length !== 3 || numbers.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`--shape takes three positive integers B,L,P, got "${option('shape')}"`);
const shape: StepShape = { batch: numbers[0]!, inputLength: numbers[1]!, promptLength: numbers[2]! };
const reps = Number(option('reps') ?? (dryRun ? 1 : 10));
const budgetMs = Number(option('budget') ?? 240) * 1000;

function gpuName(): string {
  if (process.env.GPU_NAME) return process.env.GPU_NAME;
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8' }).split('\n')[0]!.trim() || 'unknown GPU';
  } catch {
    return dryRun ? 'none (dry run)' : 'unknown GPU (nvidia-smi failed)';
  }
}

async function main(): Promise<void> {
  const name = gpuName();
  const peak = peakFor(name, process.env.GPU_PEAK_TFLOPS);
  const args = dryRun ? chromiumArgs : process.env.GPU_BENCH_CHROMIUM_ARGS ? process.env.GPU_BENCH_CHROMIUM_ARGS.split(/\s+/).filter(Boolean) : GPU_CHROMIUM_ARGS;
  const executablePath = chromiumPath();
  console.log(`GPU: ${name}; peak ${peak ? `${peak.tflops} TFLOPS (${peak.source})` : 'unknown: set GPU_PEAK_TFLOPS for the fraction of peak'}`);
  console.log(`Chromium ${executablePath} ${args.join(' ')}${dryRun ? '  [dry run: SwiftShader]' : ''}`);
  const { server, url } = await startServer();
  const browser = await chromium.launch({ executablePath, args, headless: true });
  try {
    const bp = await openBackend(browser, url, 'webgpu', { wasmThreads: 1, wasmNoThreads: false });
    const adapter = bp.info.adapter ?? 'unknown adapter';
    console.log(`WebGPU adapter: ${adapter}`);
    if (!dryRun && SOFTWARE_ADAPTER.test(adapter)) {
      throw new Error(`WebGPU runs on ${adapter}, a CPU emulation, not the GPU. Check that the NVIDIA driver's Vulkan ICD is installed (vulkaninfo --summary lists the GPU; /usr/share/vulkan/icd.d/nvidia_icd.json), then try other flags with GPU_BENCH_CHROMIUM_ARGS.`);
    }
    console.log(`Training step: batch ${shape.batch} × (${shape.inputLength} input + ${shape.promptLength} prompt) tokens, ${reps} timed steps after a warm-up …`);
    const step = await bp.run<StepResult>({ kind: 'step', shape, reps, budgetMs }, budgetMs + 180_000);
    await bp.close();
    // On SwiftShader the warm-up alone (shader compilation on the CPU) can use the budget: a dry run reports it instead.
    if (step.medianMs === undefined && !dryRun) throw new Error(`only the warm-up step ran (${(step.firstStepMs / 1000).toFixed(1)} s) within the budget`);
    const flops = stepFlops(BENCH_CONFIG, shape);
    const r = gpuStepReport(step.medianMs ?? step.firstStepMs, shape, flops, peak);
    console.log('');
    console.log(`first step       ${(step.firstStepMs / 1000).toFixed(2)} s (shader compilation, uploads)`);
    console.log(`median step      ${r.stepMs.toFixed(1)} ms (${step.medianMs === undefined ? 'the warm-up step: no timed step fitted the budget' : `n=${step.timesMs.length}`})`);
    console.log(`tokens/s         ${Math.round(r.tokensPerSecond)}`);
    console.log(`work per step    ${r.gflopPerStep.toFixed(1)} GFLOP (forward + input-gradient backward, model FLOPs)`);
    console.log(`achieved         ${r.achievedTflops.toFixed(2)} TFLOP/s`);
    console.log(`fraction of peak ${r.fractionOfPeak === undefined ? 'unknown (no peak for this GPU)' : `${(100 * r.fractionOfPeak).toFixed(1)}% of ${peak!.tflops} TFLOPS`}${dryRun ? '  [dry run: meaningless]' : ''}`);
    console.log(`peak tensors     ${(step.memory.peakTensorBytes / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(`bench/gpu: ${(e as Error).message ?? e}`);
  process.exit(1);
});
