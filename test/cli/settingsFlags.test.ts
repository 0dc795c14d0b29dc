/** The CLI's training flags come from the settings contract: names, --help, and every problem at once. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cliError';
import { readSettings, settingOptions } from '../../src/cli/settingsFlags';
import { SETTING_KEYS, TRAINING_SETTINGS } from '../../src/core/settings/trainingSettings';

const root = new URL('../..', import.meta.url).pathname;

describe('training settings as CLI flags', () => {
  it('has one string flag per setting, named as in the contract', () => {
    expect(Object.keys(settingOptions(['promptLength', 'learningRate']))).toEqual(['prompt-length', 'lr']);
  });

  it('reads the given flags as typed settings and leaves the rest out', () => {
    expect(readSettings({ 'prompt-length': '20', optimizer: 'adam', lr: '0.01', out: 'x' }, SETTING_KEYS)).toEqual({ promptLength: 20, optimizer: 'adam', learningRate: 0.01 });
  });

  it('lists every bad flag at once, each with what it accepts', () => {
    let error: unknown;
    try {
      readSettings({ 'prompt-length': '0', 'batch-size': 'many', init: 'zeros' }, SETTING_KEYS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message.split('\n')).toEqual([
      '--prompt-length: Prompt length must be a whole number from 1 to 500; got 0',
      '--init: Initialisation must be one of labels, vocab, random; got "zeros"',
      '--batch-size: Batch size must be a whole number from 1 to 256; got "many"',
    ]);
  });

  it('train --help prints every training flag with its default and bounds, and exits 0', () => {
    const r = spawnSync('npm', ['run', '--silent', 'cli', '--', 'train', '--help'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: train --model DIR/);
    for (const key of ['promptLength', 'init', 'optimizer', 'learningRate', 'batchSize', 'steps', 'evalEvery', 'seed', 'ensembleSize', 'validationFraction', 'maxInputTokens'] as const) {
      const spec = TRAINING_SETTINGS[key];
      expect(r.stdout, key).toContain(`--${spec.flag} `);
      expect(r.stdout, key).toContain(`(default ${spec.default}`);
    }
  });
});
