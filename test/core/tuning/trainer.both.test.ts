/**
 * The training loop against the reference trajectory (ten full-batch Adafactor steps) on both backends,
 * with frozen weights untouched and flat memory. trainer.test.ts covers the control paths.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { allWeightTensors } from '../../../src/core/model/t5Weights';
import { PromptTrainer, type TrainerConfig } from '../../../src/core/tuning/trainer';
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

  /** Train the reference's ten steps; check losses and the final prompt against it, and a flat tensor count. */
  async function trainAgainstReference(config: Partial<TrainerConfig>): Promise<number[]> {
    const losses: number[] = [];
    const tensorCounts: number[] = [];
    const trainer = new PromptTrainer(loaded.model, fixtureData(e), config, {
      onProgress: (p) => {
        losses.push(...p.losses);
        tensorCounts.push(tf.memory().numTensors);
      },
    });
    await trainer.initialise(initial());
    const result = await trainer.train();
    trainer.dispose();
    expect(result.reason).toBe('completed');
    expect(losses).toHaveLength(10);
    losses.forEach((loss, i) => expect(scalarRelativeError(loss, e.training_trajectory.losses[i]!), `loss before step ${i + 1}`).toBeLessThan(1e-3));
    const error = maxAbsDiff(result.prompts[0]!, e.training_trajectory.final_prompt.values);
    expect(error).toBeLessThan(1e-2);
    // After the first step (optimiser state created), the number of live tensors never changes.
    expect(new Set(tensorCounts.slice(1)).size).toBe(1);
    console.log(`${fixture} on ${testBackend}${config.maxTokensPerPass ? `, ${config.maxTokensPerPass} tokens a pass` : ''}: final prompt max abs error ${error.toExponential(2)}, tensors per step ${tensorCounts.join(',')}`);
    return tensorCounts;
  }

  it('reproduces the reference training trajectory; frozen weights stay byte-identical; memory is flat', async () => {
    const before = await Promise.all(allWeightTensors(loaded.model.weights).map((t) => t.data()));
    await trainAgainstReference(fullBatch);
    const after = await Promise.all(allWeightTensors(loaded.model.weights).map((t) => t.data()));
    after.forEach((data, i) => expect(new Uint8Array(data.buffer)).toEqual(new Uint8Array(before[i]!.buffer)));
  });

  it('one pass per row (maxTokensPerPass 1): gradients add up to the full-batch trajectory', async () => {
    await trainAgainstReference({ ...fullBatch, maxTokensPerPass: 1 });
  });

});
