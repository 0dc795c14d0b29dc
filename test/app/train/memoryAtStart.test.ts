/** The Train step's check at Start: nothing to decide without the loaded model's shape or a budget; a refusal points to the cluster job. */
import { describe, expect, it } from 'vitest';
import { CLUSTER_HINT, memoryAtStart } from '../../../src/app/train/memoryAtStart';
import { wasmBudget } from '../../../src/core/model/deviceBudget';
import { presetById } from '../../../src/core/model/presets';
import { withDefaults } from '../../../src/core/settings/trainingSettings';

const base = presetById('t5-base-lm-adapt')!;
const loaded = { id: base.repo!, dModel: base.config.dModel, vocabSize: base.config.vocabSize, parameters: base.parameters, hasTokenizer: true, config: base.config };

describe('memoryAtStart', () => {
  it('is undefined without the model’s config or a budget', () => {
    const { config: _config, ...noConfig } = loaded;
    expect(memoryAtStart(undefined, withDefaults({}), wasmBudget())).toBeUndefined();
    expect(memoryAtStart(noConfig, withDefaults({}), wasmBudget())).toBeUndefined();
    expect(memoryAtStart(loaded, withDefaults({}), undefined)).toBeUndefined();
  });

  it('refuses T5-base at the paper’s batch of 32 on WebAssembly, pointing to a smaller batch and the cluster job', () => {
    const check = memoryAtStart(loaded, withDefaults({ batchSize: 32 }), wasmBudget())!;
    expect(check.status).toBe('refused');
    expect(check.message).toMatch(/needs about [\d.]+ GB .* holds about 2\.6 GB of tensors/);
    expect(check.message).toContain('Would fit: batch size 1 (about 2.4 GB)');
    expect(check.message.endsWith(CLUSTER_HINT)).toBe(true);
    // What it offers does start: batch 1 needs about 2.4 GB of the 2.6 GB (over 85%), so it is only close.
    expect(memoryAtStart(loaded, withDefaults({ batchSize: 1 }), wasmBudget())!.status).toBe('close');
  });
});
