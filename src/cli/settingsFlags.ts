/**
 * The training settings as command-line flags, read from the settings contract: the flag names,
 * the --help lines and every check come from there, and all problems are reported at once.
 */
import { helpLine, parseValue } from '../core/settings/settingSpec';
import { TRAINING_SETTINGS, validate, type SettingKey, type TrainingSettings } from '../core/settings/trainingSettings';
import { CliError } from './cliError';
import type { Options } from './args';

/** parseArgs options for these settings (all strings: the contract parses them). */
export function settingOptions(keys: readonly SettingKey[]): Options {
  return Object.fromEntries(keys.map((k) => [TRAINING_SETTINGS[k].flag, { type: 'string' as const }]));
}

/** The given flags as settings; a CliError listing every bad value when any is wrong. */
export function readSettings(values: Record<string, unknown>, keys: readonly SettingKey[]): Partial<TrainingSettings> {
  const settings: Record<string, string | number> = {};
  const problems: string[] = [];
  for (const key of keys) {
    const spec = TRAINING_SETTINGS[key];
    const text = values[spec.flag];
    if (typeof text !== 'string') continue;
    const parsed = parseValue(spec, text);
    if (parsed.problem) problems.push(`--${spec.flag}: ${parsed.problem}`);
    else settings[key] = parsed.value!;
  }
  if (problems.length === 0) {
    for (const p of validate(settings)) problems.push(`--${TRAINING_SETTINGS[p.key as SettingKey].flag}: ${p.message}`);
  }
  if (problems.length) throw new CliError(problems.join('\n'));
  return settings as Partial<TrainingSettings>;
}

/** One line per flag: what it does, its default and what it accepts. */
export function settingsHelp(keys: readonly SettingKey[]): string {
  return keys.map((k) => helpLine(TRAINING_SETTINGS[k])).join('\n');
}
