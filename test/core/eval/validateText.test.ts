/**
 * Validation during training on a text task: answers are read as text and compared with the
 * target texts after SQuAD's normalisation (exact match and F1), not as token ids; the loss is the
 * teacher-forced loss of the target ids. And the trainer reports those numbers at validation.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAnswers } from '../../../src/core/eval/generateAnswers';
import { scoreLabels } from '../../../src/core/eval/scoreLabels';
import { exactMatch, tokenF1 } from '../../../src/core/eval/textMetrics';
import { validateText } from '../../../src/core/eval/validateText';
import { nodeDirSource } from '../../../src/core/io/nodeDirSource';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { seededRandom } from '../../../src/core/random';
import { prepareTrainingData } from '../../../src/core/task/trainingData';
import { PromptTrainer, type ValidationResult } from '../../../src/core/tuning/trainer';
import { fixtureSource, loadExpected } from '../../helpers/fixtures';
import { wordModelDir } from '../../helpers/wordModel';

let loaded: LoadedT5;
let inputs: number[][];
/** The word tokenizer's decoding: id 17 is "w17", </s> and padding vanish. */
const decode = (ids: number[]) => ids.filter((id) => id > 1).map((id) => `w${id}`).join(' ');
const randomPrompt = (seed: number, length = 6, width = 64) => {
  const r = seededRandom(seed);
  return tf.tensor2d(Array.from({ length: length * width }, () => r() - 0.5), [length, width]);
};

beforeAll(async () => {
  loaded = await loadT5(await fixtureSource('t5-tiny-gated'));
  const e = await loadExpected('t5-tiny-gated');
  inputs = e.input_ids.map((ids, i) => ids.slice(0, e.attention_mask[i]!.reduce((a, b) => a + b, 0)));
});
afterAll(() => loaded?.model.dispose());

describe('validateText', () => {
  it('compares normalised answer texts with the target texts, and scores the loss of the target ids', async () => {
    const prompts = [randomPrompt(3), randomPrompt(4)];
    // Every target is 4 ids long, so answers are generated for at most 4 tokens.
    const targets = [
      [7, 8, 9, 1],
      [10, 11, 12, 1],
      [13, 14, 15, 1],
    ];
    const answers = await generateAnswers(loaded.model, prompts, inputs, { maxNewTokens: 4 });
    const text = (k: number, i: number) => decode(answers[k]![i]!.ids);
    // Row 0: prompt 1's answer, written as a person would (capitals, an article, punctuation): a
    // match by SQuAD's rules although its ids are not the answer's. Row 1: prompt 2's answer plus a
    // word it lacks. Row 2: a word no answer has.
    const targetTexts = [`The ${text(0, 0).toUpperCase()}!`, `${text(1, 1)} w999`, 'w998'];
    const examples = inputs.map((ids, i) => ({ inputIds: ids, labelIndex: i }));
    const r = await validateText(loaded.model, prompts, examples, targets, { batchSize: 2, decode, targetTexts });

    expect(exactMatch(text(0, 0), targetTexts[0]!)).toBe(true);
    expect(answers[0]![0]!.ids).not.toEqual(targets[0]);
    // Prompt 2 on row 1: every answer word is in the target, which has one more: P 1, R n/(n+1), F1 2n/(2n+1).
    const n = text(1, 1).split(' ').filter(Boolean).length;
    expect(tokenF1(text(1, 1), targetTexts[1]!)).toBeCloseTo(n ? (2 * n) / (2 * n + 1) : 0, 12);
    for (let k = 0; k < 2; k++) {
      let nll = 0;
      for (let i = 0; i < 3; i++) nll -= (await scoreLabels(loaded.model, prompts[k], [inputs[i]!], [targets[i]!]))[0]!;
      expect(r.members[k]!.loss).toBeCloseTo(nll / 12, 4);
      const rows = [0, 1, 2];
      expect(r.members[k]!.accuracy).toBeCloseTo(rows.filter((i) => exactMatch(text(k, i), targetTexts[i]!)).length / 3, 12);
      expect(r.members[k]!.f1).toBeCloseTo(rows.reduce((s, i) => s + tokenF1(text(k, i), targetTexts[i]!), 0) / 3, 12);
    }
    expect(r.members[0]!.accuracy).toBeGreaterThanOrEqual(1 / 3);
    // Two voters: the same normalised answer, else the more confident one (prompt 1 on a tie).
    const winner = (i: number) => {
      const [a, b] = [answers[0]![i]!, answers[1]![i]!];
      return exactMatch(text(0, i), text(1, i)) || a.meanLogProb >= b.meanLogProb ? text(0, i) : text(1, i);
    };
    expect(r.ensemble.accuracy).toBeCloseTo([0, 1, 2].filter((i) => exactMatch(winner(i), targetTexts[i]!)).length / 3, 12);
    expect(r.ensemble.f1).toBeCloseTo([0, 1, 2].reduce((s, i) => s + tokenF1(winner(i), targetTexts[i]!), 0) / 3, 12);
    tf.dispose(prompts);
  });

  it('refuses target texts that do not match the targets', async () => {
    const prompt = randomPrompt(5);
    await expect(validateText(loaded.model, [prompt], [{ inputIds: inputs[0]!, labelIndex: 0 }], [[7, 1]], { decode, targetTexts: [] })).rejects.toThrow(/1 targets but 0 target texts/);
    prompt.dispose();
  });
});

describe('the trainer on a text task', () => {
  it("reports validation exact match and F1 as validateText scores the kept prompt on the run's own validation rows", async () => {
    const word = await loadT5(nodeDirSource(wordModelDir('t5-tiny-relu')));
    const rows = Array.from({ length: 12 }, (_, i) => ({ text: `w${20 + i} w${60 + i}`, label: `The W${60 + i}.` }));
    const { task, data } = prepareTrainingData(word.tokenizer!, rows, { task: { kind: 'text' }, validationFraction: 0.25, seed: 1, promptLength: 2, eosTokenId: 1 });
    expect(data.text?.targetTexts).toEqual(task.targetTexts);
    const seen: ValidationResult[] = [];
    const trainer = new PromptTrainer(word.model, data, { promptLength: 2, batchSize: 4, steps: 1, evalEvery: 1, dropoutRate: 0, seed: 1, init: 'random' }, { onValidation: (v) => seen.push(v) });
    await trainer.initialise();
    const result = await trainer.train();
    trainer.dispose();
    expect(seen).toHaveLength(1);
    const kept = tf.tensor2d(result.prompts[0]!, result.promptShape);
    const again = await validateText(word.model, [kept], data.validation, data.targets, { decode: (ids) => word.tokenizer!.decode(ids), targetTexts: task.targetTexts });
    kept.dispose();
    word.model.dispose();
    expect(seen[0]!.accuracy).toBeCloseTo(again.members[0]!.accuracy, 12);
    expect(seen[0]!.f1).toBeCloseTo(again.members[0]!.f1, 12);
    expect(seen[0]!.loss).toBeCloseTo(again.members[0]!.loss, 5);
  });
});
