/** `--task classify|text`, and what is said when the kind is detected rather than given. */
import { detectTaskKind, parseTaskKind, TASK_KINDS, type TaskKind } from '../core/task/taskKind';
import { CliError } from './cliError';

export const TASK_FLAG = { task: { type: 'string' } } as const;

/** The given kind, else `fallback`, else the one detected from the targets (said on stderr when it is text). */
export function taskKindFlag(value: unknown, targets: readonly string[], fallback?: TaskKind): TaskKind {
  if (value !== undefined) {
    const kind = parseTaskKind(value);
    if (!kind) throw new CliError(`--task must be one of ${TASK_KINDS.join(', ')}, got "${String(value)}"`);
    return kind;
  }
  if (fallback) return fallback;
  const decision = detectTaskKind(targets);
  if (decision.kind === 'text') process.stderr.write(`note: ${decision.reason} (pass --task classify to rank the labels instead)\n`);
  return decision.kind;
}
