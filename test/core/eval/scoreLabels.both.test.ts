/**
 * Rank classification and evaluation on the fixture batch, against the float64 reference loss and
 * an independent teacher-forced forward pass. Runs on the CPU and WebGPU backends.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/core/eval/evaluate';
import { scoreLabels } from '../../../src/core/eval/scoreLabels';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { IGNORE_INDEX, shiftRight } from '../../../src/core/model/seq2seqLoss';
import { encoderInput } from '../../../src/core/model/softPromptInput';
import type { EncodedExample } from '../../../src/core/task/task';
import { maxAbsDiff, scalarRelativeError } from '../../helpers/compare';
import { fixtureSource, loadExpected, testBackend, unpaddedInputs, type Expected, type FixtureName } from '../../helpers/fixtures';

const backend = testBackend;
const report: string[] = [];
afterAll(() => console.log(`scoreLabels/evaluate on ${backend}:\n${report.join('\n')}`));

/** Targets of different lengths, so label padding is exercised. */
const HAND_TARGETS = [[7, 1], [21, 33, 1], [100, 200, 300, 1]];

describe.each<FixtureName>(['t5-tiny-gated', 't5-tiny-relu'])('%s', (fixture) => {
  let loaded: LoadedT5;
  let e: Expected;
  let prompt: tf.Tensor2D;
  let inputs: number[][];
  let targets: number[][];
  let examples: EncodedExample[];
  const check = (what: string, err: number, tol: number) => {
    report.push(`  ${fixture} ${what}: ${err.toExponential(2)}`);
    expect(err, what).toBeLessThan(tol);
  };

  beforeAll(async () => {
    loaded = await loadT5(await fixtureSource(fixture));
    e = await loadExpected(fixture);
    prompt = tf.tensor2d(e.prompt.values, e.prompt.shape as [number, number]);
    inputs = unpaddedInputs(e);
    targets = e.labels.map((row) => row.filter((id) => id !== IGNORE_INDEX));
    examples = inputs.map((inputIds, labelIndex) => ({ inputIds, labelIndex }));
  });
  afterAll(() => {
    prompt?.dispose();
    loaded?.model.dispose();
  });

  it('evaluate(...).loss reproduces the reference seq2seq loss, with and without the prompt (1e-4 relative)', async () => {
    const withPrompt = await evaluate(loaded.model, prompt, examples, targets);
    const without = await evaluate(loaded.model, undefined, examples, targets);
    check('with_prompt.loss', scalarRelativeError(withPrompt.loss, e.with_prompt.loss), 1e-4);
    check('without_prompt.loss', scalarRelativeError(without.loss, e.without_prompt.loss), 1e-4);
    expect(withPrompt.n).toBe(3);
    expect(withPrompt.scores).toHaveLength(9);
    for (let i = 0; i < 3; i++) {
      const row = Array.from(withPrompt.scores.slice(i * 3, i * 3 + 3));
      expect(withPrompt.predictions[i]).toBe(row.indexOf(Math.max(...row)));
    }
    expect(withPrompt.accuracy).toBe(withPrompt.predictions.filter((p, i) => p === i).length / 3);
    expect(withPrompt.metrics.accuracy).toBe(withPrompt.accuracy);
  });

  it("scores each example's own target as minus its summed cross-entropy from an independent forward pass (1e-4)", async () => {
    const { model, config } = loaded;
    const logProbs = tf.tidy(() => {
      const ids = tf.tensor2d(e.input_ids, undefined, 'int32');
      const mask = tf.tensor2d(e.attention_mask, undefined, 'float32');
      const decoderIds = tf.tensor2d(shiftRight(e.labels, config.decoderStartTokenId, config.padTokenId), undefined, 'int32');
      const input = encoderInput(model, ids, mask, prompt);
      return tf.logSoftmax(model.forward(input.inputsEmbeds, input.attentionMask, decoderIds));
    });
    const lp = (await logProbs.array()) as number[][][];
    logProbs.dispose();
    const reference = e.labels.map((row, i) => row.reduce((s, id, t) => (id === IGNORE_INDEX ? s : s + lp[i]![t]![id]!), 0));
    const scores = await scoreLabels(model, prompt, inputs, targets);
    const own = reference.map((_, i) => scores[i * targets.length + i]!);
    check('own-target score vs forward + logSoftmax (abs)', maxAbsDiff(own, reference), 1e-4);
  });

  it('gives the same scores batched or one example at a time (1e-5)', async () => {
    const { model } = loaded;
    for (const p of [prompt, undefined]) {
      const batched = await scoreLabels(model, p, inputs, HAND_TARGETS);
      const single: number[] = [];
      for (const ids of inputs) single.push(...(await scoreLabels(model, p, [ids], HAND_TARGETS)));
      check(`batched vs single (${p ? 'with' : 'without'} prompt, abs)`, maxAbsDiff(batched, single), 1e-5);
      const viaEvaluate = await evaluate(model, p, examples, HAND_TARGETS, { batchSize: 2 });
      check(`evaluate batchSize 2 vs single (${p ? 'with' : 'without'} prompt, abs)`, maxAbsDiff(viaEvaluate.scores, single), 1e-5);
    }
  });

  it('generates greedily and leaks no tensors', async () => {
    const { model } = loaded;
    // Warm up: the model caches position biases per new shape, which is not a leak.
    await evaluate(model, prompt, examples, targets, { generate: true, batchSize: 2 });
    const before = tf.memory().numTensors;
    const r = await evaluate(model, prompt, examples, targets, { generate: true, batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    // Longest target is 3 tokens, so 4 steps: the reference greedy tokens, none of which is </s>.
    expect(r.generated).toEqual(e.with_prompt.greedy_4_tokens);
    expect(r.exactMatch).toBe(0);
  });
});
