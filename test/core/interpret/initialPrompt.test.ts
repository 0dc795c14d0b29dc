/**
 * The prompt file's `init_seed`: written and read back, and enough (with `init`, the labels and the
 * model) to rebuild exactly the prompt the trainer started from, so drift works for imported files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildInitialPrompt, initialSourceOf, whyNoInitialPrompt } from '../../../src/core/interpret/initialPrompt';
import { nodeDirSource } from '../../../src/core/io/nodeDirSource';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { readPromptFile, writePromptFile } from '../../../src/core/promptFile/promptFile';
import { trainedPromptMetadata } from '../../../src/core/promptFile/promptMetadata';
import type { PromptInit } from '../../../src/core/settings/trainingSettings';
import { prepareTrainingData } from '../../../src/core/task/trainingData';
import { PromptTrainer } from '../../../src/core/tuning/trainer';
import { wordModelDir } from '../../helpers/wordModel';

const examples = Array.from({ length: 12 }, (_, i) => ({ text: `w${10 + i} w${40 + i}`, label: i % 2 ? 'w101 w7' : 'w202' }));

describe('initial prompt from a prompt file', () => {
  let loaded: LoadedT5;
  beforeAll(async () => {
    loaded = await loadT5(nodeDirSource(wordModelDir('t5-tiny-gated')));
  });
  afterAll(() => loaded?.model.dispose());

  it('records init_seed and reads it back; a damaged one is dropped with a note', () => {
    const prompt = { length: 1, width: 2, values: new Float32Array([1, 2]) };
    const metadata = trainedPromptMetadata({ baseModel: 'm', dModel: 2, task: { targetTexts: ['a', 'b'], template: '{text}' }, init: 'vocab', steps: 3, initSeed: 42 });
    const file = readPromptFile(writePromptFile(prompt, metadata));
    expect(file.metadata).toMatchObject({ init: 'vocab', initSeed: 42 });
    // Files without it (older files, PEFT) still read, with initSeed absent.
    const older = readPromptFile(writePromptFile(prompt, { init: 'vocab' }));
    expect(older.metadata.initSeed).toBeUndefined();
    const damaged = readPromptFile(writePromptFile(prompt, { init: 'vocab', initSeed: -1 }));
    expect(damaged.metadata.initSeed).toBeUndefined();
    expect(damaged.notes.join(' ')).toMatch(/init_seed/);
  });

  it.each<PromptInit>(['labels', 'vocab', 'random'])('rebuilds the trainer\'s own %s initialisation exactly', async (init) => {
    const tokenizer = loaded.tokenizer!;
    const seed = 5;
    const { task, data } = prepareTrainingData(tokenizer, examples, { validationFraction: 0.25, seed, promptLength: 4, eosTokenId: 1 });
    const trainer = new PromptTrainer(loaded.model, data, { promptLength: 4, init, seed, batchSize: 2, steps: 1 });
    await trainer.initialise();
    const started = trainer.promptVariables[0]!.dataSync();
    trainer.dispose();
    const metadata = trainedPromptMetadata({ baseModel: 'm', dModel: 64, task, init, steps: 0, initSeed: seed });
    const file = readPromptFile(writePromptFile({ length: 4, width: 64, values: new Float32Array(256) }, metadata));
    const source = initialSourceOf(file.metadata);
    expect(whyNoInitialPrompt(source, tokenizer)).toBeUndefined();
    const rebuilt = await rebuildInitialPrompt(source, 4, loaded.model.weights.shared, tokenizer);
    expect(Array.from(rebuilt!)).toEqual(Array.from(started));
  });

  it('says why it cannot rebuild', async () => {
    expect(whyNoInitialPrompt({ init: 'labels', initSeed: undefined, labels: ['a'] }, loaded.tokenizer)).toMatch(/init_seed/);
    expect(whyNoInitialPrompt({ init: 'TEXT', initSeed: 1, labels: undefined }, loaded.tokenizer)).toMatch(/"TEXT"/);
    expect(whyNoInitialPrompt({ init: 'labels', initSeed: 1, labels: undefined }, loaded.tokenizer)).toMatch(/label texts/);
    expect(await rebuildInitialPrompt({ init: 'labels', initSeed: 1, labels: undefined }, 4, loaded.model.weights.shared, undefined)).toBeUndefined();
  });
});
