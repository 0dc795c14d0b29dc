/** The settings contract: one table of defaults and bounds, checks that report every problem at once. */
import { describe, expect, it } from 'vitest';
import { accepts, checkValue, helpLine, parseValue } from '../../../src/core/settings/settingSpec';
import { DEFAULT_LEARNING_RATE, DEFAULT_SETTINGS, SETTING_KEYS, TRAINING_SETTINGS, validate, withDefaults } from '../../../src/core/settings/trainingSettings';

describe('the training settings contract', () => {
  it("holds the paper's defaults (Lester et al. 2021, section 3)", () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ promptLength: 100, init: 'labels', optimizer: 'adafactor', learningRate: 0.3, batchSize: 32 });
    expect(DEFAULT_LEARNING_RATE).toEqual({ adafactor: 0.3, adam: 0.001 });
  });

  it('gives every setting a label, a flag, one line of help, and a default inside its own bounds', () => {
    const flags = new Set<string>();
    for (const key of SETTING_KEYS) {
      const spec = TRAINING_SETTINGS[key];
      expect(spec.label.length, key).toBeGreaterThan(2);
      expect(spec.help, key).toMatch(/\.$/);
      expect(spec.help.includes('\n'), key).toBe(false);
      expect(spec.flag, key).toMatch(/^[a-z][a-z-]*$/);
      flags.add(spec.flag);
      if (spec.default !== undefined) expect(checkValue(spec, spec.default), key).toBeUndefined();
    }
    expect(flags.size).toBe(SETTING_KEYS.length);
    expect(validate(DEFAULT_SETTINGS)).toEqual([]);
  });

  it('reports every problem at once, each naming the setting and what it accepts', () => {
    const problems = validate({ promptLength: 0, batchSize: 2.5, init: 'zeros' as never, learningRate: -1, validationFraction: 0.9, seed: 3 });
    expect(problems.map((p) => p.key)).toEqual(['promptLength', 'batchSize', 'init', 'learningRate', 'validationFraction']);
    expect(problems[0]!.message).toBe('Prompt length must be a whole number from 1 to 500; got 0');
    expect(problems[1]!.message).toBe('Batch size must be a whole number from 1 to 256; got 2.5');
    expect(problems[2]!.message).toBe('Initialisation must be one of labels, vocab, random; got "zeros"');
    expect(problems[3]!.message).toBe('Learning rate must be a number above 0 to 10; got -1');
  });

  it('bounds: the lower bound is allowed unless it is exclusive, the upper bound is allowed', () => {
    expect(checkValue(TRAINING_SETTINGS.evalEvery, 0)).toBeUndefined();
    expect(checkValue(TRAINING_SETTINGS.learningRate, 0)).toMatch(/above 0/);
    expect(checkValue(TRAINING_SETTINGS.promptLength, 500)).toBeUndefined();
    expect(checkValue(TRAINING_SETTINGS.promptLength, 501)).toMatch(/got 501/);
    expect(checkValue(TRAINING_SETTINGS.steps, NaN)).toMatch(/got nothing/);
    expect(checkValue(TRAINING_SETTINGS.dropoutRate, undefined)).toBeUndefined(); // optional: the model's own
  });

  it('catches a prompt that leaves no room for text', () => {
    expect(validate({ promptLength: 100, maxInputTokens: 101 })).toEqual([{ key: 'maxInputTokens', message: expect.stringMatching(/no room for text after a 100-token prompt/) }]);
    expect(validate({ promptLength: 100, maxInputTokens: 102 })).toEqual([]);
  });

  it('parses text the way the CLI and the link give it', () => {
    expect(parseValue(TRAINING_SETTINGS.promptLength, ' 20 ')).toEqual({ value: 20 });
    expect(parseValue(TRAINING_SETTINGS.learningRate, '3e-1')).toEqual({ value: 0.3 });
    expect(parseValue(TRAINING_SETTINGS.promptLength, 'ten').problem).toBe('Prompt length must be a whole number from 1 to 500; got "ten"');
    expect(parseValue(TRAINING_SETTINGS.promptLength, '').problem).toMatch(/got ""/);
    expect(parseValue(TRAINING_SETTINGS.optimizer, 'adam')).toEqual({ value: 'adam' });
    expect(parseValue(TRAINING_SETTINGS.optimizer, 'sgd').problem).toMatch(/one of adafactor, adam/);
  });

  it('fills defaults, with the learning rate of the chosen optimiser unless one is given', () => {
    expect(withDefaults({ optimizer: 'adam' }).learningRate).toBe(0.001);
    expect(withDefaults({ optimizer: 'adam', learningRate: 0.01 }).learningRate).toBe(0.01);
    expect(withDefaults({ steps: undefined }).steps).toBe(1000);
    expect(withDefaults({}).dropoutRate).toBeUndefined();
  });

  it('writes one --help line per setting from the same table', () => {
    expect(helpLine(TRAINING_SETTINGS.promptLength)).toMatch(/^ {2}--prompt-length N +Soft prompt tokens P\..*\(default 100; a whole number from 1 to 500\)$/);
    expect(helpLine(TRAINING_SETTINGS.init)).toMatch(/--init labels\|vocab\|random .*\(default labels\)$/);
    expect(helpLine(TRAINING_SETTINGS.dropoutRate)).toMatch(/\(default the model's own; a number from 0 to 0.9\)$/);
    expect(accepts(TRAINING_SETTINGS.seed)).toBe('a whole number from 0 to 2147483647');
  });
});
