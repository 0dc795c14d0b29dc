/**
 * Each prompt token's importance (score change of the predicted label without it): against the
 * float64 T5 written in the test, and against P separate single-prompt passes of the app's scorer.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promptTokenImportance } from '../../../src/core/interpret/tokenImportance';
import { scoreLabels } from '../../../src/core/eval/scoreLabels';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { maxAbsDiff } from '../../helpers/compare';
import { fixtureSource, loadExpected, testBackend, type Expected, type FixtureName } from '../../helpers/fixtures';
import { rowsOf, T5Float64 } from '../../helpers/t5Float64';

/** Two candidate labels: the fixture's first target and a made-up one. */
const targets = [
  [494, 357, 1],
  [101, 1],
];

describe.each<FixtureName>(['t5-tiny-gated', 't5-tiny-relu'])('prompt token importance on %s', (fixture) => {
  let loaded: LoadedT5;
  let e: Expected;
  let ref: T5Float64;
  let prompt: tf.Tensor2D;
  let ids: number[];
  beforeAll(async () => {
    loaded = await loadT5(await fixtureSource(fixture));
    e = await loadExpected(fixture);
    ref = T5Float64.from(loaded);
    prompt = tf.tensor2d(e.prompt.values, e.prompt.shape as [number, number]);
    ids = e.input_ids[1]!.slice(0, 12); // row 1: 12 real tokens
  });
  afterAll(() => {
    prompt?.dispose();
    loaded?.model.dispose();
  });

  it(`matches float64 (5e-4 absolute, on scores of size ~10) on ${testBackend}, leaking nothing`, async () => {
    await promptTokenImportance(loaded.model, prompt, ids, targets); // caches derived weights and position biases
    const before = tf.memory().numTensors;
    const got = await promptTokenImportance(loaded.model, prompt, ids, targets);
    expect(tf.memory().numTensors).toBe(before);
    const rows = rowsOf(e.prompt.values, 64);
    const full = ref.scoreTargets([...rows, ...ref.embed(ids)], targets);
    const predicted = full[0]! >= full[1]! ? 0 : 1;
    const without = rows.map((_, i) => ref.scoreTargets([...rows.filter((_, j) => j !== i), ...ref.embed(ids)], targets));
    expect(got.predicted).toBe(predicted);
    expect(maxAbsDiff(got.labelScores, full)).toBeLessThan(5e-4);
    const expected = without.map((s) => full[predicted]! - s[predicted]!);
    const err = maxAbsDiff(got.importance, expected);
    console.log(`${fixture} on ${testBackend}: importances ${got.importance.map((x) => x.toFixed(3)).join(', ')}; max abs error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(5e-4);
    expect(got.predictedWithout).toEqual(without.map((s) => (s[0]! >= s[1]! ? 0 : 1)));
  });

  it('equals P separate passes of the single-prompt scorer (1e-4)', async () => {
    const got = await promptTokenImportance(loaded.model, prompt, ids, targets);
    const separate: number[] = [];
    for (let i = 0; i < 8; i++) {
      const without = tf.concat([prompt.slice([0, 0], [i, -1]), prompt.slice([i + 1, 0], [-1, -1])]) as tf.Tensor2D;
      const s = await scoreLabels(loaded.model, without, [ids], targets);
      without.dispose();
      separate.push(got.labelScores[got.predicted]! - s[got.predicted]!);
    }
    expect(maxAbsDiff(got.importance, separate)).toBeLessThan(1e-4);
  });

  it('a one-token prompt: its importance is the score change against no prompt at all', async () => {
    const one = prompt.slice([0, 0], [1, -1]) as tf.Tensor2D;
    const got = await promptTokenImportance(loaded.model, one, ids, targets);
    const none = await scoreLabels(loaded.model, undefined, [ids], targets);
    one.dispose();
    expect(got.importance).toHaveLength(1);
    expect(got.importance[0]).toBeCloseTo(got.labelScores[got.predicted]! - none[got.predicted]!, 4);
  });
});
