/**
 * The memory check at Start: fits, close (≥ 85% of what binds) or refused, decided against budgets
 * set around the estimate, and a T5-large whose float32 weights alone (783,150,080 parameters,
 * counted by hand below) exceed WebAssembly's 2.6 GB, refused with both numbers and what to change.
 */
import { describe, expect, it } from 'vitest';
import { cpuBudget, wasmBudget, type DeviceBudget } from '../../../src/core/model/deviceBudget';
import { estimateMemory } from '../../../src/core/model/memoryEstimate';
import { formatBytes } from '../../../src/core/model/memoryFit';
import { presetById } from '../../../src/core/model/presets';
import { checkBeforeStart, runShape } from '../../../src/core/model/startMemoryCheck';
import { withDefaults } from '../../../src/core/settings/trainingSettings';

const HINT = 'Or export a cluster job.';
const small = presetById('t5-small-lm-adapt')!;
const large = presetById('t5-large-lm-adapt')!;

/** T5 v1.1 large by hand: tied-off embedding and head, 24 encoder and 24 gated decoder layers. */
function t5LargeParameters(): number {
  const [vocab, d, ff, layers, heads, buckets] = [32128, 1024, 2816, 24, 16, 32];
  const attention = 4 * d * d;
  const ffn = 3 * d * ff;
  const encoderLayer = attention + ffn + 2 * d;
  const decoderLayer = 2 * attention + ffn + 3 * d;
  return 2 * vocab * d + layers * (encoderLayer + decoderLayer) + 2 * (buckets * heads + d);
}

describe('checkBeforeStart', () => {
  const settings = withDefaults({ batchSize: 8, promptLength: 20, maxInputTokens: 128 });
  const need = estimateMemory(small.config, runShape(settings)).total;
  const budget = (totalBytes: number): DeviceBudget => ({ backend: 'test', totalBytes, source: 'the test device' });

  it('fits well under the budget, warns from 85% of it, refuses above it', () => {
    expect(checkBeforeStart(small.config, small.parameters, settings, budget(need * 2), HINT)).toMatchObject({ status: 'fits', message: '' });
    expect(checkBeforeStart(small.config, small.parameters, settings, budget(need / 0.8), HINT).status).toBe('fits');

    const close = checkBeforeStart(small.config, small.parameters, settings, budget(need / 0.9), HINT);
    expect(close.status).toBe('close');
    expect(close.message).toContain(`needs about ${formatBytes(need)}`);
    expect(close.message).toContain(`the test device holds about ${formatBytes(need / 0.9)} (90%)`);
    expect(close.message).toMatch(/smaller batch/);

    const refused = checkBeforeStart(small.config, small.parameters, settings, budget(need * 0.7), HINT);
    expect(refused.status).toBe('refused');
    expect(refused.message).toMatch(/^Not started: this run needs about /);
    expect(refused.message).toContain(`needs about ${formatBytes(need)}`);
    expect(refused.message).toContain(`the test device holds about ${formatBytes(need * 0.7)} of tensors`);
    expect(refused.message).toContain('Would fit: batch size');
    expect(refused.message.endsWith(HINT)).toBe(true);
  });

  it('on a GPU whose total is unknown, a tensor near the per-buffer limit is close', () => {
    const largest = estimateMemory(small.config, runShape(settings)).largestTensor;
    const gpu: DeviceBudget = { backend: 'webgpu', maxTensorBytes: largest / 0.9, source: 'the GPU' };
    const check = checkBeforeStart(small.config, small.parameters, settings, gpu, HINT);
    expect(check.status).toBe('close');
    expect(check.message).toContain(`${formatBytes(largest / 0.9)} per buffer (90%)`);
  });

  it('does not decide where nothing bounds the memory (the CPU backend)', () => {
    expect(checkBeforeStart(large.config, large.parameters, withDefaults({ batchSize: 256 }), cpuBudget(), HINT).status).toBe('fits');
  });

  it('refuses T5-large on WebAssembly at any batch: its weights alone are more than the heap holds', () => {
    expect(large.parameters).toBe(t5LargeParameters());
    const weights = t5LargeParameters() * 4;
    expect(weights).toBeGreaterThan(wasmBudget().totalBytes!);
    const check = checkBeforeStart(large.config, large.parameters, withDefaults({ batchSize: 1, promptLength: 1, maxInputTokens: 16 }), wasmBudget(), HINT);
    expect(check.status).toBe('refused');
    expect(check.message).toContain(`weights ${formatBytes(weights)}`);
    expect(check.message).toContain('3.1 GB');
    expect(check.message).toContain('holds about 2.6 GB of tensors');
    // No batch, length or prompt fits; the smaller presets do.
    expect(check.message).not.toContain('batch size');
    expect(check.message).toMatch(/a smaller model, T5 v1\.1 LM-adapted base|a smaller model, Flan-T5 base/);
  });
});
