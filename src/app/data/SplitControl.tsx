import { useId, useMemo } from 'react';
import { DEFAULT_SETTINGS, TRAINING_SETTINGS } from '../../core/settings/trainingSettings';
import type { LabeledExample } from '../../core/task/task';
import { trainingSplit } from '../../core/task/trainingSplit';

export const MAX_VALIDATION_PERCENT = Math.round(TRAINING_SETTINGS.validationFraction.max * 100);

/** The split's sizes do not depend on the seed (only which items go where does). */
const SEED = 0;

export interface SplitControlProps {
  examples: readonly LabeledExample[];
  validationFraction: number;
  onChange(fraction: number): void;
  disabled?: boolean;
  /** A text-to-text task: a plain random split (as training makes it), not one per class. */
  textTask?: boolean;
}

export function clampFraction(f: number): number {
  return Number.isFinite(f) ? Math.min(Math.max(f, 0), TRAINING_SETTINGS.validationFraction.max) : DEFAULT_SETTINGS.validationFraction;
}

/** Validation share (0–50 %) and the train/validation sizes the stratified split gives. */
export function SplitControl({ examples, validationFraction, onChange, disabled = false, textTask = false }: SplitControlProps) {
  const id = useId();
  const fraction = clampFraction(validationFraction);
  const percent = Math.round(fraction * 100);
  // The split training makes (core/task/trainingSplit, which keeps the tokenizer out of the page).
  const split = useMemo(() => trainingSplit(examples as LabeledExample[], { validationFraction: fraction, seed: SEED, kind: textTask ? 'text' : 'classify' }), [examples, fraction, textTask]);
  const fmt = (n: number) => n.toLocaleString('en-US');
  const set = (value: number) => onChange(clampFraction(Math.round(value) / 100));
  // The slider and the number box show and set the same value.
  const percentInput = { min: 0, max: MAX_VALIDATION_PERCENT, step: 1, value: percent, disabled };
  return (
    <div className="data-split">
      <label htmlFor={id} className="data-split__label">
        Validation split
      </label>
      <div className="data-split__controls">
        <input
          id={id}
          type="range"
          {...percentInput}
          data-testid="validation-split"
          aria-valuetext={`${percent} percent`}
          onChange={(e) => set(Number(e.currentTarget.value))}
        />
        <span className="data-split__percent">
          <input
            type="number"
            {...percentInput}
            aria-label="Validation split in percent"
            data-testid="validation-percent"
            onChange={(e) => e.currentTarget.value !== '' && set(Number(e.currentTarget.value))}
          />
          %
        </span>
      </div>
      <p className="data-split__counts" data-testid="split-counts">
        <strong>{fmt(split.train.length)}</strong> train · <strong>{fmt(split.validation.length)}</strong> validation
        {!textTask && <span className="data-muted"> (each class keeps its share)</span>}
      </p>
      {fraction > 0 && split.validation.length === 0 && (
        <p className="data-split__note">{textTask ? 'Too few rows for a validation set.' : 'Too few examples per class for a validation set: every class needs at least two.'}</p>
      )}
    </div>
  );
}
