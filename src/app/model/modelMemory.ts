/**
 * The Model step's memory check: what a model needs under the current settings against what the
 * backend holds, decided before a download. Pure functions plus the device probe, so Node tests them.
 */
import { hubUrl } from '../../core/io/modelSource';
import { budgetFor, measureWebGpu, webgpuBudget, type DeviceBudget } from '../../core/model/deviceBudget';
import { checkMemory, formatBytes, type MemoryVerdict } from '../../core/model/memoryFit';
import { parseT5Config, type T5Config } from '../../core/model/t5Config';
import { runShape, smallerPresets } from '../../core/model/startMemoryCheck';
import type { TrainingSettings } from '../../core/settings/trainingSettings';

/** What a backend is known to hold without measuring (core's budgetFor, under the name this step's tests know). */
export const staticBudget = budgetFor;
export { runShape };

export function memoryVerdict(config: T5Config, parameters: number, settings: TrainingSettings, budget: DeviceBudget): MemoryVerdict {
  return checkMemory(config, runShape(settings), budget, smallerPresets(config, parameters));
}

/**
 * A refusal in one short line for a preset's card (the full message, with the breakdown and what
 * would fit, goes behind it): the total needed against the total held, or the largest tensor
 * against one buffer when the total is unknown.
 */
export function shortVerdict(verdict: MemoryVerdict, budget: DeviceBudget): string {
  const { need } = verdict;
  const numbers =
    budget.totalBytes !== undefined && need.total > budget.totalBytes
      ? `Needs ~${formatBytes(need.total)}, this device ~${formatBytes(budget.totalBytes)}`
      : `Largest tensor ~${formatBytes(need.largestTensor)}, one buffer here ~${formatBytes(budget.maxTensorBytes ?? 0)}`;
  return `${numbers}: export a cluster job (Keep)`;
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
