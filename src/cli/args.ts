/** Flag parsing for the CLI commands, on node:util's parseArgs, with messages that say what to pass. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, CliHelp } from './cliError';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Parse flags; `--help` (or `-h`) anywhere prints the usage and `details` (one line per flag) instead. */
export function parse<O extends Options>(argv: string[], options: O, usage: string, details = '') {
  if (argv.includes('--help') || argv.includes('-h')) throw new CliHelp(`usage: ${usage}${details ? `\n${details}` : ''}`);
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
  } catch (e) {
    throw new CliError(`${(e as Error).message}\nusage: ${usage}`);
  }
}

export function required(value: string | undefined, flag: string, usage: string): string {
  if (!value) throw new CliError(`missing ${flag}\nusage: ${usage}`);
  return value;
}

export function int(value: string | undefined, flag: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`${flag} must be an integer >= ${min}, got "${value}"`);
  return n;
}

export function float(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${flag} must be a positive number, got "${value}"`);
  return n;
}

export function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new CliError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}
