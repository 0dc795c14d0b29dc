/**
 * The Data step's input template, for files with more columns than the text and the label: how
 * each row is written for the model ("question: {question} context: {context}"). The template is a
 * training setting (core/settings), saved with the run and used by training, validation,
 * evaluation and Try it; core/task/template fills it and says what is wrong with it.
 */
import { applyTemplate, templateProblem } from '../../core/task/template';
import type { LabeledExample } from '../../core/task/task';
import { TRAINING_SETTINGS } from '../../core/settings/trainingSettings';

export interface InputTemplateProps {
  template: string;
  onChange(template: string): void;
  columns: readonly string[];
  textColumn: string;
  labelColumn: string;
  /** A row as the model will read it, when the data can be used. */
  example?: LabeledExample;
  disabled?: boolean;
}

export function InputTemplate({ template, onChange, columns, textColumn, labelColumn, example, disabled }: InputTemplateProps) {
  const spec = TRAINING_SETTINGS.template;
  const problem = templateProblem(template, columns, labelColumn);
  const others = columns.filter((c) => c !== textColumn && c !== labelColumn);
  return (
    <div className="data-card" data-testid="input-template-card">
      <label>
        {spec.label}{' '}
        <input
          type="text"
          value={template}
          maxLength={spec.maxLength}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
          data-testid="input-template"
          size={48}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'input-template-problem' : undefined}
        />
      </label>
      {problem && (
        <p className="warning" role="alert" id="input-template-problem" data-testid="template-problem">
          {capitalise(problem)}.
        </p>
      )}
      <p className="muted small">
        {'{text}'} is the text column ‘{textColumn}’
        {others.length > 0 && <>; the other columns can be named too: {others.map((c) => `{${c}}`).join(', ')}</>}. For example “question: {'{question}'} context: {'{text}'}”.
      </p>
      {example && !problem && (
        <p className="muted small" data-testid="template-preview">
          The first row reads: “{applyTemplate(template, example.text, example.fields)}”
        </p>
      )}
    </div>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
