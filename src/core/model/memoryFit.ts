/**
 * Whether a run fits the device, said with the numbers, and what to change when it does not: the
 * same run with a smaller batch, shorter inputs, a shorter prompt, or a smaller model, each
 * re-estimated, and only the changes that would fit are offered.
 */
import { formatBytes } from '../format/bytes';
import type { DeviceBudget } from './deviceBudget';
import { estimateMemory, type MemoryNeed, type RunShape } from './memoryEstimate';
import type { T5Config } from './t5Config';

export interface MemoryVerdict {
  fits: boolean;
  need: MemoryNeed;
  /** One sentence with the numbers: what is needed, of what, and why it does (not) fit. */
  message: string;
  /** Changes that would fit, e.g. "batch size 8 (2.1 GB)". */
  suggestions: string[];
}

// The studio's one byte format; re-exported for the Model step, which shows these sizes beside the message.
export { formatBytes };

function breakdown(n: MemoryNeed): string {
  return `weights ${formatBytes(n.weights)}, cached copies ${formatBytes(n.cachedCopies)}, activations of the largest ${n.largestPass.kind} pass ${formatBytes(n.activations)} (${n.largestPass.rows} rows × ${n.largestPass.tokensPerRow} tokens), prompts and optimiser ${formatBytes(n.optimizer)}`;
}

function problem(n: MemoryNeed, budget: DeviceBudget): string | undefined {
  if (budget.totalBytes !== undefined && n.total > budget.totalBytes) {
    return `needs about ${formatBytes(n.total)} (${breakdown(n)}) but ${budget.source} holds about ${formatBytes(budget.totalBytes)} of tensors`;
  }
  if (budget.maxTensorBytes !== undefined && n.largestTensor > budget.maxTensorBytes) {
    return `its largest tensor takes ${formatBytes(n.largestTensor)} but one buffer on this device holds at most ${formatBytes(budget.maxTensorBytes)}`;
  }
  return undefined;
}

export interface SmallerModel {
  name: string;
  config: T5Config;
}

export function checkMemory(config: T5Config, run: RunShape, budget: DeviceBudget, smallerModels: SmallerModel[] = []): MemoryVerdict {
  const need = estimateMemory(config, run);
  const why = problem(need, budget);
  if (!why) {
    const of = budget.totalBytes === undefined ? `; ${budget.source}` : `; ${budget.source} holds about ${formatBytes(budget.totalBytes)} of tensors`;
    return { fits: true, need, message: `needs about ${formatBytes(need.total)} (${breakdown(need)})${of}`, suggestions: [] };
  }
  // Per kind of change, the mildest first: the first that fits is the one offered.
  const tries: Array<[kind: string, label: string, config: T5Config, run: RunShape]> = [];
  // A batch larger than one pass holds changes nothing, so the batches tried start at one pass's rows.
  for (let b = Math.min(run.batchSize - 1, need.largestPass.rows); b >= 1; b--) tries.push(['batch', `batch size ${b}`, config, { ...run, batchSize: b }]);
  for (let m = run.maxInputTokens - 32; m - run.promptLength >= 8; m -= 32) tries.push(['length', `maximum input length ${m}`, config, { ...run, maxInputTokens: m }]);
  for (let p = Math.floor(run.promptLength / 2); p >= 1; p = Math.floor(p / 2)) tries.push(['prompt', `prompt length ${p}`, config, { ...run, promptLength: p }]);
  if (run.ensembleSize > 1) tries.push(['ensemble', 'one prompt instead of an ensemble', config, { ...run, ensembleSize: 1 }]);
  for (const m of smallerModels) tries.push(['model', `a smaller model, ${m.name}`, m.config, run]);
  const suggestions: string[] = [];
  const seen = new Set<string>();
  for (const [kind, label, c, r] of tries) {
    if (seen.has(kind)) continue;
    const n = estimateMemory(c, r);
    if (!problem(n, budget)) {
      suggestions.push(`${label} (about ${formatBytes(n.total)})`);
      seen.add(kind);
    }
  }
  const advice = suggestions.length ? ` Would fit: ${suggestions.join('; ')}.` : ' No smaller batch, input length or prompt makes it fit: pick a smaller model.';
  return { fits: false, need, message: `This run ${why}.${advice}`, suggestions };
}
