/**
 * The training loop against the reference trajectory (ten full-batch Adafactor steps) on both backends,
 * with frozen weights untouched and flat memory. trainer.test.ts covers the control paths.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { allWeightTensors } from '../../../src/core/model/t5Weights';
import { PromptTrainer } from '../../../src/core/tuning/trainer';
import { maxAbsDiff, scalarRelativeError } from '../../helpers/compare';
import { fixtureData, fullBatch } from '../../helpers/fixtureTraining';
import { fixtureSource, loadExpected, testBackend, type Expected, type FixtureName } from '../../helpers/fixtures';


describe.each<FixtureName>(['t5-tiny-gated', 't5-tiny-relu'])('PromptTrainer on %s', (fixture) => {
  let loaded: LoadedT5;
  let e: Expected;
  const initial = () => Float32Array.from(e.prompt.values);

  beforeAll(async () => {
    loaded = await loadT5(await fixtureSource(fixture));
    e = await loadExpected(fixture);
  });
  afterAll(() => loaded?.model.dispose());

  it('reproduces the reference training trajectory; frozen weights stay byte-identical; memory is flat', async () => {
    const before = await Promise.all(allWeightTensors(loaded.model.weights).map((t) => t.data()));
    const losses: number[] = [];
    const tensorCounts: number[] = [];
    const trainer = new PromptTrainer(loaded.model, fixtureData(e), fullBatch, {
      onProgress: (p) => {
        losses.push(...p.losses);
        tensorCounts.push(tf.memory().numTensors);
      },
    });
    await trainer.initialise(initial());
    const result = await trainer.train();
    expect(result.reason).toBe('completed');
    expect(losses).toHaveLength(10);
    losses.forEach((loss, i) => expect(scalarRelativeError(loss, e.training_trajectory.losses[i]!), `loss before step ${i + 1}`).toBeLessThan(1e-3));
    expect(maxAbsDiff(result.prompts[0]!, e.training_trajectory.final_prompt.values)).toBeLessThan(1e-2);
    console.log(`${fixture} on ${testBackend}: final prompt max abs error ${maxAbsDiff(result.prompts[0]!, e.training_trajectory.final_prompt.values).toExponential(2)}, tensors per step ${tensorCounts.join(',')}`);

    const after = await Promise.all(allWeightTensors(loaded.model.weights).map((t) => t.data()));
    after.forEach((data, i) => expect(new Uint8Array(data.buffer)).toEqual(new Uint8Array(before[i]!.buffer)));
    // After the first step (optimiser state created), the number of live tensors never changes.
    expect(new Set(tensorCounts.slice(1)).size).toBe(1);
    trainer.dispose();
  });

  it('one pass per row (maxTokensPerPass 1): gradients add up to the full-batch trajectory', async () => {
    const losses: number[] = [];
    const tensorCounts: number[] = [];
    const trainer = new PromptTrainer(loaded.model, fixtureData(e), { ...fullBatch, maxTokensPerPass: 1 }, {
      onProgress: (p) => {
        losses.push(...p.losses);
        tensorCounts.push(tf.memory().numTensors);
      },
    });
    await trainer.initialise(initial());
    const result = await trainer.train();
    expect(result.reason).toBe('completed');
    losses.forEach((loss, i) => expect(scalarRelativeError(loss, e.training_trajectory.losses[i]!), `loss before step ${i + 1}`).toBeLessThan(1e-3));
    expect(maxAbsDiff(result.prompts[0]!, e.training_trajectory.final_prompt.values)).toBeLessThan(1e-2);
    expect(new Set(tensorCounts.slice(1)).size).toBe(1);
    trainer.dispose();
  });

});
