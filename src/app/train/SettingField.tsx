/**
 * One training setting as a form field, drawn from the settings contract: its label, help, bounds
 * and choices are the contract's, so the studio cannot disagree with the CLI or the worker. A value
 * out of bounds is kept as typed and its problem shown under the field (training waits for a fix).
 */
import type { ReactNode } from 'react';
import { TRAINING_SETTINGS, type SettingKey, type TrainingSettings } from '../../core/settings/trainingSettings';

export interface SettingFieldProps<K extends SettingKey> {
  settingKey: K;
  value: TrainingSettings[K];
  onChange(value: TrainingSettings[K]): void;
  disabled?: boolean;
  problem?: string;
}

export function FieldFrame({ label, help, htmlFor, problem, children }: { label: string; help: string; htmlFor: string; problem?: string; children: ReactNode }) {
  return (
    <div className="train-field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {problem && (
        <p className="train-field__problem small" role="alert" id={`${htmlFor}-problem`}>
          {problem}
        </p>
      )}
      <p className="muted small">{help}</p>
    </div>
  );
}

export function SettingField<K extends SettingKey>({ settingKey, value, onChange, disabled = false, problem }: SettingFieldProps<K>) {
  const spec = TRAINING_SETTINGS[settingKey];
  const id = `train-${settingKey}`;
  const described = problem ? { 'aria-invalid': true, 'aria-describedby': `${id}-problem` } : {};
  return (
    <FieldFrame label={spec.label} help={spec.help} htmlFor={id} problem={problem}>
      {spec.kind === 'choice' ? (
        <select id={id} value={String(value)} disabled={disabled} onChange={(e) => onChange(e.target.value as TrainingSettings[K])} {...described}>
          {spec.choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      ) : spec.kind === 'text' ? (
        <input id={id} type="text" value={String(value)} maxLength={spec.maxLength} disabled={disabled} onChange={(e) => onChange(e.target.value as TrainingSettings[K])} {...described} />
      ) : (
        <input
          id={id}
          type="number"
          min={spec.min}
          max={spec.max}
          step={spec.step ?? 1}
          value={Number.isNaN(value) ? '' : (value as number)}
          disabled={disabled}
          onChange={(e) => onChange((e.target.value === '' ? NaN : Number(e.target.value)) as TrainingSettings[K])}
          {...described}
        />
      )}
    </FieldFrame>
  );
}
