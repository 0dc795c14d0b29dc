/** The Data step's task type: detected from the chosen label column unless the person picks one. DOM-free. */
import type { LabeledExample } from '../../core/task/task';
import { detectTaskKind, type TaskKind, type TaskKindDecision } from '../../core/task/taskKind';

export interface TaskChoiceState {
  kind: TaskKind;
  /** What detection said, shown beside the switch. */
  detected: TaskKindDecision;
  /** True when the person's choice overrides detection. */
  overridden: boolean;
}

export function taskChoice(examples: readonly LabeledExample[], override: TaskKind | undefined): TaskChoiceState {
  const detected = detectTaskKind(examples.map((e) => e.label));
  return { kind: override ?? detected.kind, detected, overridden: override !== undefined && override !== detected.kind };
}

/** The template the prompt-design baseline starts from: the plain text, which a person then words as a question. */
export const DEFAULT_BASELINE_TEMPLATE = '{text}';
