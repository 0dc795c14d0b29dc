/**
 * Which kind of task a labelled file is: classification (a few labels, scored by rank
 * classification) or text-to-text (free-text targets, generated and scored by exact match and F1).
 * Detected from the targets, and always overridable (CLI `--task`, the studio's Data step).
 */

export type TaskKind = 'classify' | 'text';

export const TASK_KINDS: readonly TaskKind[] = ['classify', 'text'];

export interface TaskKindDecision {
  kind: TaskKind;
  /** Why, in a sentence a person can check against their data. */
  reason: string;
}

/** At least this many distinct targets, and ... */
export const TEXT_MIN_DISTINCT = 10;
/** ... more than this share of the rows distinct: labels repeat, answers mostly do not. */
export const TEXT_MIN_DISTINCT_SHARE = 0.5;

export function detectTaskKind(targets: readonly string[]): TaskKindDecision {
  const distinct = new Set(targets).size;
  const n = targets.length;
  if (distinct >= TEXT_MIN_DISTINCT && distinct > TEXT_MIN_DISTINCT_SHARE * n) {
    return { kind: 'text', reason: `${distinct} distinct targets in ${n} rows: free text, so answers are generated and scored by exact match and F1` };
  }
  return { kind: 'classify', reason: `${distinct} distinct labels in ${n} rows: classification (each answer is the likeliest label)` };
}

/** A `--task` value or a stored one; undefined (old prompt files, old runs) means classification. */
export function parseTaskKind(value: unknown): TaskKind | undefined {
  return value === 'classify' || value === 'text' ? value : undefined;
}
