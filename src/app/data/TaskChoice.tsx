/**
 * The task type (classification or text-to-text), detected and switchable, and the text template
 * of the prompt-design baseline: the frozen model with that template and no soft prompt, scored on
 * the validation rows at Start and drawn beside the trained prompt's accuracy.
 */
import type { TaskKind } from '../../core/task/taskKind';
import type { TaskChoiceState } from './taskChoice';

export interface TaskChoiceProps {
  choice: TaskChoiceState;
  onKind(kind: TaskKind): void;
  template: string;
  onTemplate(template: string): void;
  disabled?: boolean;
}

export function TaskChoice({ choice, onKind, template, onTemplate, disabled }: TaskChoiceProps) {
  return (
    <div className="data-card" data-testid="task-choice">
      <label>
        Task{' '}
        <select value={choice.kind} disabled={disabled} onChange={(e) => onKind(e.target.value as TaskKind)} data-testid="task-kind">
          <option value="classify">Classification (pick the likeliest label)</option>
          <option value="text">Text to text (generate the answer; exact match and F1)</option>
        </select>
      </label>
      <p className="muted" data-testid="task-kind-reason">
        Detected: {choice.detected.reason}.{choice.overridden ? ' Your choice overrides it.' : ''}
      </p>
      <label>
        Prompt-design baseline template{' '}
        <input type="text" value={template} disabled={disabled} onChange={(e) => onTemplate(e.target.value)} data-testid="baseline-template" size={48} />
      </label>
      <p className="muted">
        The frozen model with this text prompt and no trained prompt ({'{text}'} is each row's text, {'{column}'} another column), e.g. “{'{text}'} Is this review positive or negative?”. It is scored on the validation rows at Start and
        shown beside the trained prompt's accuracy.
      </p>
    </div>
  );
}
