/**
 * `--label-text LABEL=TEXT` (repeatable): train label LABEL to produce TEXT. Shared by the commands
 * that take a task's label texts (train, export-job).
 */
import { CliError } from './cliError';

export const LABEL_TEXT_HELP = '  --label-text LABEL=TEXT    train label LABEL to produce TEXT (repeatable; -1=bad works too)';

/** `--label-text 1=positive` trains label "1" to produce the text "positive". */
export function labelTexts(pairs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new CliError(`--label-text expects LABEL=TEXT, got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** `--label-text -1=bad`: a value that starts with "-" would read as a flag, so it is joined to its flag first. */
export function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (argv[i] === '--label-text' && next?.startsWith('-') && next.includes('=')) {
      out.push(`--label-text=${next}`);
      i++;
    } else out.push(argv[i]!);
  }
  return out;
}
