/**
 * Text-to-text evaluation on the tiny fixture model: scores per member and for the vote, the
 * examples table, the note on targets beyond the answer limit (training-time validation:
 * validateText.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateText, type TextExample } from '../../../src/core/eval/evaluateText';
import { generateAnswers } from '../../../src/core/eval/generateAnswers';
import type { LoadedT5 } from '../../../src/core/model/loadT5';
import { loadFixtureBatch, randomPrompt as randomRows } from '../../helpers/fixtures';

let loaded: LoadedT5;
let inputs: number[][];
/** The word tokenizer's decoding: id 17 is "w17", </s> and padding vanish. */
const decode = (ids: number[]) => ids.filter((id) => id > 1).map((id) => `w${id}`).join(' ');
/** A 6-token prompt. */
const randomPrompt = (seed: number) => randomRows(6, seed);

beforeAll(async () => {
  ({ loaded, inputs } = await loadFixtureBatch('t5-tiny-gated'));
});
afterAll(() => loaded?.model.dispose());

describe('evaluateText', () => {
  it("scores each member, their mean and best, and the vote, against targets that are member 1's answers", async () => {
    const prompts = [randomPrompt(1), randomPrompt(2)];
    const answers = await generateAnswers(loaded.model, prompts, inputs, { maxNewTokens: 4 });
    const first = answers[0]!.map((a) => decode(a.ids));
    const second = answers[1]!.map((a) => decode(a.ids));
    const examples: TextExample[] = inputs.map((ids, i) => ({ input: `row ${i}`, inputIds: ids, target: first[i]!, targetTokens: answers[0]![i]!.ids.length }));
    const r = await evaluateText(loaded.model, decode, prompts, examples, { maxNewTokens: 4 });
    tf.dispose(prompts);
    const agree = second.filter((s, i) => s === first[i]).length / inputs.length;
    expect(r.n).toBe(3);
    expect(r.members[0]!.exactMatch).toBe(1);
    expect(r.members[0]!.f1).toBe(1);
    expect(r.members[1]!.exactMatch).toBeCloseTo(agree, 12);
    expect(r.mean.exactMatch).toBeCloseTo((1 + agree) / 2, 12);
    expect(r.best).toEqual(r.members[0]);
    // Two voters: where they disagree the more confident one wins, so the vote is right exactly
    // where they agree or member 1 was the more confident.
    const voteRight = inputs.filter((_, i) => second[i] === first[i] || answers[0]![i]!.meanLogProb >= answers[1]![i]!.meanLogProb).length / inputs.length;
    expect(r.ensemble.exactMatch).toBeCloseTo(voteRight, 12);
    // With two members the vote and the most confident answer coincide: where they disagree, the vote goes to the more confident.
    expect(r.confident).toEqual(r.ensemble);
    expect(r.examples[1]).toEqual({ input: 'row 1', target: first[1], generated: r.answers[1], members: [first[1], second[1]] });
  });

  it('says when targets are longer than the answer limit, rather than cutting silently', async () => {
    const examples: TextExample[] = inputs.map((ids, i) => ({ input: `row ${i}`, inputIds: ids, target: 'w5 w6 w7 w8 w9 w10', targetTokens: i === 0 ? 7 : 2 }));
    const r = await evaluateText(loaded.model, decode, [], examples, { maxNewTokens: 3 });
    expect(r.longTargets).toBe(1);
    expect(r.notes[0]).toMatch(/^1 of 3 targets are longer than the 3-token answer limit/);
    expect(r.members).toHaveLength(1);
    expect(r.examples[0]!.members).toBeUndefined();
  });
});
