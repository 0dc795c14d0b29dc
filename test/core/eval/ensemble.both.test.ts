/**
 * One batched pass for K prompts gives the same scores as K separate passes, and a batch mixing
 * prompts of different tasks (different lengths, different label sets) routes every example to
 * its own prompt. Both backends.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreEnsemble, scoreRouted } from '../../../src/core/eval/routedScoring';
import { scoreLabels } from '../../../src/core/eval/scoreLabels';
import type { LoadedT5 } from '../../../src/core/model/loadT5';
import { maxAbsDiff } from '../../helpers/compare';
import { loadFixtureBatch, randomPrompt } from '../../helpers/fixtures';

let loaded: LoadedT5;
let inputs: number[][];

beforeAll(async () => {
  ({ loaded, inputs } = await loadFixtureBatch('t5-tiny-gated'));
});
afterAll(() => loaded?.model.dispose());

describe('ensemble scoring', () => {
  it('scores N examples under K=5 prompts in one pass exactly as 5 separate passes (1e-5)', async () => {
    const prompts = [0, 1, 2, 3, 4].map((k) => randomPrompt(8, 100 + k));
    const targets = [[494, 357, 1], [1], [462, 1], [7, 8, 9, 1]];
    const batched = await scoreEnsemble(loaded.model, prompts, inputs, targets);
    expect(batched).toHaveLength(5 * inputs.length * targets.length);
    for (let k = 0; k < 5; k++) {
      const separate = await scoreLabels(loaded.model, prompts[k], inputs, targets);
      const slice = batched.subarray(k * inputs.length * targets.length, (k + 1) * inputs.length * targets.length);
      expect(maxAbsDiff(slice, separate), `prompt ${k}`).toBeLessThan(1e-5);
    }
    tf.dispose(prompts);
  });

  it('routes each example of a mixed-task batch to its own prompt and label set', async () => {
    // Task A: an 8-token prompt with 2 labels; task B: a 5-token prompt with 3 labels.
    const promptA = randomPrompt(8, 1);
    const promptB = randomPrompt(5, 2);
    const labelsA = [[494, 357, 1], [462, 1]];
    const labelsB = [[3, 1], [4, 1], [5, 6, 1]];
    const rows = [
      { inputIds: inputs[0]!, prompt: 0, targets: labelsA },
      { inputIds: inputs[1]!, prompt: 1, targets: labelsB },
      { inputIds: inputs[2]!, prompt: 0, targets: labelsA },
      { inputIds: inputs[2]!, prompt: 1, targets: labelsB },
    ];
    const mixed = await scoreRouted(loaded.model, [promptA, promptB], rows);
    expect(mixed.map((s) => s.length)).toEqual([2, 3, 2, 3]);
    for (const [i, row] of rows.entries()) {
      const alone = await scoreLabels(loaded.model, row.prompt === 0 ? promptA : promptB, [row.inputIds], row.targets);
      expect(maxAbsDiff(mixed[i]!, alone), `row ${i}`).toBeLessThan(1e-5);
    }
    // The routing matters: the same input under the other prompt scores differently.
    const swapped = await scoreLabels(loaded.model, promptA, [inputs[1]!], labelsB);
    expect(maxAbsDiff(mixed[1]!, swapped)).toBeGreaterThan(1e-3);
    tf.dispose([promptA, promptB]);
  });
});
