/**
 * The training loop's control paths (NaN handling, pause/resume/stop, checkpoints, Adam), on the
 * CPU backend; trainer.both.test.ts checks the numbers on both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { PromptTrainer, type TrainingCheckpoint } from '../../../src/core/tuning/trainer';
import { maxAbsDiff } from '../../helpers/compare';
import { fixtureData, fullBatch } from '../../helpers/fixtureTraining';
import { fixtureSource, loadExpected, type Expected, type FixtureName } from '../../helpers/fixtures';


describe.each<FixtureName>(['t5-tiny-gated', 't5-tiny-relu'])('PromptTrainer on %s', (fixture) => {
  let loaded: LoadedT5;
  let e: Expected;
  const initial = () => Float32Array.from(e.prompt.values);

  beforeAll(async () => {
    loaded = await loadT5(await fixtureSource(fixture));
    e = await loadExpected(fixture);
  });
  afterAll(() => loaded?.model.dispose());

  it('stops on a non-finite loss and keeps the last good prompt', async () => {
    const trainer = new PromptTrainer(loaded.model, fixtureData(e), { ...fullBatch, learningRate: Infinity });
    await trainer.initialise(initial());
    const result = await trainer.train();
    expect(result.reason).toBe('non-finite-loss');
    expect(result.message).toMatch(/last good prompt/);
    expect(result.step).toBe(1);
    expect(Array.from(result.prompts[0]!)).toEqual(Array.from(initial()));
    trainer.dispose();
  });

  it('pauses, resumes and stops between steps', async () => {
    let trainer!: PromptTrainer;
    let pausedAt = -1;
    trainer = new PromptTrainer(loaded.model, fixtureData(e), { ...fullBatch, steps: 1000 }, {
      onProgress: (p) => {
        if (p.step === 2) {
          trainer.pause();
          pausedAt = p.step;
          setTimeout(() => {
            expect(trainer.currentStep).toBe(pausedAt); // no progress while paused
            trainer.resume();
          }, 200);
        }
        if (p.step === 4) trainer.stop();
      },
    });
    await trainer.initialise(initial());
    const result = await trainer.train();
    expect(pausedAt).toBe(2);
    expect(result.reason).toBe('stopped');
    expect(result.step).toBe(4);
    trainer.dispose();
  });

  it('resumes from a checkpoint exactly where it left off', async () => {
    const straight = new PromptTrainer(loaded.model, fixtureData(e), { ...fullBatch, steps: 6 });
    await straight.initialise(initial());
    const reference = await straight.train();
    straight.dispose();

    const checkpoints: TrainingCheckpoint[] = [];
    const first = new PromptTrainer(loaded.model, fixtureData(e), { ...fullBatch, steps: 3, checkpointEvery: 3 }, { onCheckpoint: (c) => void checkpoints.push(c) });
    await first.initialise(initial());
    await first.train();
    first.dispose();
    expect(checkpoints.map((c) => c.step)).toEqual([3]);

    const resumed = new PromptTrainer(loaded.model, fixtureData(e), { ...fullBatch, steps: 6 });
    await resumed.initialise(checkpoints[0]);
    const result = await resumed.train();
    expect(result.step).toBe(6);
    expect(maxAbsDiff(result.prompts[0]!, reference.prompts[0]!)).toBeLessThan(1e-6);
    resumed.dispose();
  });

  it('trains an ensemble in one batched run exactly as its members would train alone', async () => {
    const data = { ...fixtureData(e), train: [...fixtureData(e).train, ...fixtureData(e).train.slice(0, 2)] };
    const config = { ...fullBatch, batchSize: 2, steps: 5, init: 'random' as const, seed: 11 };
    const together = new PromptTrainer(loaded.model, data, { ...config, ensembleSize: 2 });
    const both = await together.train();
    together.dispose();
    for (const k of [0, 1]) {
      const alone = new PromptTrainer(loaded.model, data, { ...config, seed: 11 + k });
      const result = await alone.train();
      alone.dispose();
      expect(maxAbsDiff(both.prompts[k]!, result.prompts[0]!), `member ${k}`).toBeLessThan(1e-5);
    }
    expect(maxAbsDiff(both.prompts[0]!, both.prompts[1]!)).toBeGreaterThan(0.1);
  });

  it('trains with Adam too (the training loss goes down on a fixed batch)', async () => {
    const losses: number[] = [];
    const trainer = new PromptTrainer(loaded.model, fixtureData(e), { ...fullBatch, optimizer: 'adam', learningRate: 0.05 }, { onProgress: (p) => losses.push(...p.losses) });
    await trainer.initialise(initial());
    await trainer.train();
    expect(losses[9]!).toBeLessThan(losses[0]! - 0.1);
    trainer.dispose();
  });
});
