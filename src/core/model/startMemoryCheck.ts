/**
 * The memory check at Start (studio and worker) and in the CLI's `train`: the run the settings
 * describe, estimated against what the backend holds, decided as fits / close / refused. The
 * Model step checks before a download; the settings can change after that, so Start checks again.
 */
import type { TrainingSettings } from '../settings/trainingSettings';
import { DEFAULT_TRAINER_CONFIG } from '../tuning/trainerConfig';
import type { DeviceBudget } from './deviceBudget';
import type { RunShape } from './memoryEstimate';
import { checkMemory, formatBytes, type MemoryVerdict } from './memoryFit';
import { MODEL_PRESETS } from './presets';
import type { T5Config } from './t5Config';

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

/** The Hub presets smaller than `config`, largest first: what a refusal offers instead. */
export function smallerPresets(config: T5Config, parameters: number) {
  return MODEL_PRESETS.filter((p) => !p.demo && p.parameters < parameters && p.config !== config)
    .sort((a, b) => b.parameters - a.parameters)
    .map((p) => ({ name: p.name, config: p.config }));
}

/**
 * Above this share of the budget a run is "close": it may still fit, but the estimate's margin
 * (measured peaks are within 1.5× below it) and other tabs or buffers can tip it over.
 */
export const CLOSE_SHARE = 0.85;

export interface StartCheck {
  status: 'fits' | 'close' | 'refused';
  /** Empty when it fits; otherwise what was found, with the numbers, and what to change. */
  message: string;
  verdict: MemoryVerdict;
}

/** How close the run comes to whichever limit binds: the total, or one buffer. Undefined when nothing bounds it. */
function shareOfBudget(v: MemoryVerdict, budget: DeviceBudget): number | undefined {
  const shares = [budget.totalBytes !== undefined ? v.need.total / budget.totalBytes : undefined, budget.maxTensorBytes !== undefined ? v.need.largestTensor / budget.maxTensorBytes : undefined].filter((x): x is number => x !== undefined);
  return shares.length ? Math.max(...shares) : undefined;
}

/**
 * `parameters` picks the smaller presets a refusal offers; `elsewhere` ends a refusal (how to take
 * the run to a bigger machine from where the check ran: Keep's cluster job, or `export-job`).
 */
export function checkBeforeStart(config: T5Config, parameters: number, settings: TrainingSettings, budget: DeviceBudget, elsewhere: string): StartCheck {
  const verdict = checkMemory(config, runShape(settings), budget, smallerPresets(config, parameters));
  if (!verdict.fits) return { status: 'refused', message: `Not started: ${lowerFirst(verdict.message)} ${elsewhere}`, verdict };
  const share = shareOfBudget(verdict, budget);
  if (share !== undefined && share >= CLOSE_SHARE) {
    const of = budget.totalBytes !== undefined ? `about ${formatBytes(budget.totalBytes)}` : `${formatBytes(budget.maxTensorBytes!)} per buffer`;
    return {
      status: 'close',
      message: `Close to the memory limit: this run needs about ${formatBytes(verdict.need.total)} and ${budget.source} holds ${of} (${Math.round(share * 100)}%). It may run out of memory; a smaller batch or a shorter maximum input length leaves room.`,
      verdict,
    };
  }
  return { status: 'fits', message: '', verdict };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
