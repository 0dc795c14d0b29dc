/** Adafactor against the three reference steps in expected.json (gradients fed in order). */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AdafactorOptimizer } from '../../../src/core/tuning/adafactor';
import { maxAbsDiff } from '../../helpers/compare';
import { loadExpected, type FixtureName } from '../../helpers/fixtures';

describe.each<FixtureName>(['t5-tiny-gated', 't5-tiny-relu'])('Adafactor on %s', (fixture) => {
  it('reproduces the reference prompt after each of three steps', async () => {
    const e = await loadExpected(fixture);
    const prompt = tf.variable(tf.tensor2d(e.prompt.values, e.prompt.shape as [number, number]), true, `adafactor-test-${fixture}`);
    const opt = new AdafactorOptimizer();
    for (let i = 0; i < 3; i++) {
      const grad = tf.tensor2d(e.adafactor.grads[i]!.values, e.prompt.shape as [number, number]);
      opt.applyGradients([{ name: prompt.name, tensor: grad }]);
      grad.dispose();
      const err = maxAbsDiff(await prompt.data(), e.adafactor.after_step[i]!.values);
      expect(err, `step ${i + 1}`).toBeLessThan(1e-5);
    }
    expect(opt.iterations).toBe(3);
    opt.dispose();
    prompt.dispose();
  });

  it('saves and restores its state so a resumed run continues identically', async () => {
    const e = await loadExpected(fixture);
    const shape = e.prompt.shape as [number, number];
    const grads = e.adafactor.grads.map((g) => tf.tensor2d(g.values, shape));
    const a = tf.variable(tf.tensor2d(e.prompt.values, shape), true, `resume-a-${fixture}`);
    const b = tf.variable(tf.tensor2d(e.prompt.values, shape), true, `resume-b-${fixture}`);
    const first = new AdafactorOptimizer();
    for (const g of grads) first.applyGradients([{ name: a.name, tensor: g }]);
    // b: two steps, checkpoint, a fresh optimizer restored from it takes the third.
    const before = new AdafactorOptimizer();
    for (const g of grads.slice(0, 2)) before.applyGradients([{ name: b.name, tensor: g }]);
    const saved = await before.getWeights();
    expect(saved.map((w) => w.name)).toEqual(['iter', `${b.name}/adafactor_v`]);
    const after = new AdafactorOptimizer();
    await after.setWeights(saved);
    before.dispose(); // the restored state must not depend on the old optimizer's tensors
    after.applyGradients([{ name: b.name, tensor: grads[2]! }]);
    expect(after.iterations).toBe(3);
    expect(maxAbsDiff(await b.data(), await a.data())).toBe(0);
    tf.dispose([...grads, a, b, saved[0]!.tensor]);
    [first, after].forEach((o) => o.dispose());
  });
});
