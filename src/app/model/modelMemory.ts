/**
 * The Model step's memory check: what a model needs under the current settings against what the
 * backend holds, decided before a download. Pure functions plus the device probe, so Node tests them.
 */
import { hubUrl } from '../../core/io/modelSource';
import { cpuBudget, measureWebGpu, wasmBudget, webgpuBudget, type DeviceBudget } from '../../core/model/deviceBudget';
import type { RunShape } from '../../core/model/memoryEstimate';
import { checkMemory, type MemoryVerdict } from '../../core/model/memoryFit';
import { MODEL_PRESETS } from '../../core/model/presets';
import { parseT5Config, type T5Config } from '../../core/model/t5Config';
import type { TrainingSettings } from '../../core/settings/trainingSettings';
import { DEFAULT_TRAINER_CONFIG } from '../../core/tuning/trainerConfig';

/** The run the settings describe, as the estimate needs it (the longest rows assumed). */
export function runShape(s: TrainingSettings): RunShape {
  return {
    batchSize: s.batchSize,
    promptLength: s.promptLength,
    maxInputTokens: s.maxInputTokens,
    ensembleSize: s.ensembleSize,
    optimizer: s.optimizer,
    maxTokensPerPass: DEFAULT_TRAINER_CONFIG.maxTokensPerPass,
    ...(s.dropoutRate === 0 ? { dropout: false } : {}),
  };
}

/** The budget known without measuring: WebAssembly's heap, a GPU's per-buffer limits, or nothing (CPU, WebGL). */
export function staticBudget(backend: string | undefined, gpuLimits?: { maxBufferSize: number; maxStorageBufferBindingSize: number }): DeviceBudget | undefined {
  if (backend === 'wasm') return wasmBudget();
  if (backend === 'webgpu' && gpuLimits) return webgpuBudget(gpuLimits);
  if (backend === 'cpu') return cpuBudget();
  if (backend === 'webgl') return { backend, source: 'WebGL, whose memory the page cannot see' };
  return undefined;
}

/** The Hub presets smaller than `config`, largest first: what a refusal offers instead. */
function smallerPresets(config: T5Config, parameters: number) {
  return MODEL_PRESETS.filter((p) => !p.demo && p.parameters < parameters && p.config !== config)
    .sort((a, b) => b.parameters - a.parameters)
    .map((p) => ({ name: p.name, config: p.config }));
}

export function memoryVerdict(config: T5Config, parameters: number, settings: TrainingSettings, budget: DeviceBudget): MemoryVerdict {
  return checkMemory(config, runShape(settings), budget, smallerPresets(config, parameters));
}

/**
 * Just before a download: on WebGPU the GPU is asked for the memory the run needs (allocated and
 * freed again); elsewhere the static budget decides. Undefined when there is nothing to check against.
 */
export async function verdictBeforeDownload(config: T5Config, parameters: number, settings: TrainingSettings, budget: DeviceBudget | undefined, gpu?: Parameters<typeof measureWebGpu>[0]): Promise<MemoryVerdict | undefined> {
  if (!budget) return undefined;
  if (budget.backend === 'webgpu' && gpu) {
    const target = memoryVerdict(config, parameters, settings, budget).need.total;
    const measured = await measureWebGpu(gpu, target);
    if (measured) return memoryVerdict(config, parameters, settings, webgpuBudget(measured.limits, measured));
  }
  return memoryVerdict(config, parameters, settings, budget);
}

/** Any T5 repo's config.json (a few hundred bytes), so its memory is known before its weights download. */
export async function fetchHubConfig(repo: string, fetchFn: typeof fetch = fetch): Promise<T5Config> {
  const response = await fetchFn(`${hubUrl(repo)}/config.json`);
  if (!response.ok) throw new Error(`${repo} has no config.json on the Hub (HTTP ${response.status}); check the repo id`);
  return parseT5Config(await response.json());
}
