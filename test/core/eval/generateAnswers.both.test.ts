/**
 * Greedy generation for text-to-text tasks: the fixture's reference greedy tokens, confidences equal
 * to the teacher-forced score of the same tokens, K prompts in one batch equal to K separate runs,
 * the length bound and cancellation. Both backends.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAnswers } from '../../../src/core/eval/generateAnswers';
import { answerIds } from '../../../src/core/eval/metrics';
import { scoreLabels } from '../../../src/core/eval/scoreLabels';
import { greedyDecode } from '../../../src/core/model/greedyDecode';
import type { LoadedT5 } from '../../../src/core/model/loadT5';
import { encoderInput } from '../../../src/core/model/softPromptInput';
import { padIds } from '../../../src/core/eval/padBatch';
import { loadFixtureBatch, randomPrompt, type Expected } from '../../helpers/fixtures';

let loaded: LoadedT5;
let e: Expected;
let inputs: number[][];

beforeAll(async () => {
  ({ loaded, e, inputs } = await loadFixtureBatch('t5-tiny-gated'));
});
afterAll(() => loaded?.model.dispose());

describe('generateAnswers', () => {
  it('generates the reference greedy tokens with the fixture prompt, stopping at </s>', async () => {
    const prompt = tf.tensor2d(e.prompt.values, e.prompt.shape as [number, number]);
    const [answers] = await generateAnswers(loaded.model, [prompt], inputs, { maxNewTokens: 4 });
    prompt.dispose();
    expect(answers!.map((a) => a.ids)).toEqual(e.with_prompt.greedy_4_tokens.map((row) => answerIds(row, 1)));
    expect(answers!.map((a) => a.finished)).toEqual(e.with_prompt.greedy_4_tokens.map((row) => row.includes(1)));
  });

  it("reports each answer's mean log-probability as the teacher-forced score of its tokens", async () => {
    const prompt = randomPrompt(6, 7);
    const [answers] = await generateAnswers(loaded.model, [prompt], inputs, { maxNewTokens: 5 });
    for (const [i, a] of answers!.entries()) {
      const [summed] = await scoreLabels(loaded.model, prompt, [inputs[i]!], [a.ids]);
      expect(a.meanLogProb).toBeCloseTo(summed! / a.ids.length, 4);
    }
    prompt.dispose();
  });

  it('generates under K = 3 prompts in one batch exactly as 3 separate runs', async () => {
    const prompts = [0, 1, 2].map((k) => randomPrompt(8, 40 + k));
    const batched = await generateAnswers(loaded.model, prompts, inputs, { maxNewTokens: 6 });
    expect(batched).toHaveLength(3);
    for (let k = 0; k < 3; k++) {
      const [alone] = await generateAnswers(loaded.model, [prompts[k]!], inputs, { maxNewTokens: 6 });
      expect(batched[k]!.map((a) => a.ids)).toEqual(alone!.map((a) => a.ids));
      batched[k]!.forEach((a, i) => expect(a.meanLogProb).toBeCloseTo(alone![i]!.meanLogProb, 4));
    }
    tf.dispose(prompts);
  });

  it('without a prompt generates what greedyDecode gives from the frozen model alone', async () => {
    const [answers] = await generateAnswers(loaded.model, [], inputs, { maxNewTokens: 5 });
    const padded = padIds(inputs, 0);
    const input = encoderInput(loaded.model, padded.ids, padded.mask);
    const reference = await greedyDecode(loaded.model, input, 5);
    tf.dispose([padded.ids, padded.mask, input.inputsEmbeds, input.attentionMask]);
    expect(answers!.map((a) => a.ids)).toEqual(reference.map((row) => answerIds(row, 1)));
  });

  it('never generates more than maxNewTokens, and marks cut answers', async () => {
    const prompt = randomPrompt(4, 3);
    const [answers] = await generateAnswers(loaded.model, [prompt], inputs, { maxNewTokens: 1 });
    prompt.dispose();
    for (const a of answers!) {
      expect(a.ids).toHaveLength(1);
      expect(a.finished).toBe(a.ids[0] === 1);
    }
  });

  it('stops when cancelled and leaves no tensors behind', async () => {
    const prompt = randomPrompt(4, 5);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const running = generateAnswers(loaded.model, [prompt], inputs, { maxNewTokens: 50, signal: controller.signal });
    controller.abort(new Error('cancelled by the test'));
    await expect(running).rejects.toThrow('cancelled by the test');
    expect(tf.memory().numTensors).toBe(before);
    prompt.dispose();
  });
});
