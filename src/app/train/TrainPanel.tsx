/**
 * The Train step: the paper's settings with a line of explanation each, then start / pause /
 * resume / stop, with throughput and an ETA while the worker trains.
 */
import { useRef, useState } from 'react';
import type { StartCheck } from '../../core/model/startMemoryCheck';
import { DEFAULT_LEARNING_RATE, PAPER_ENSEMBLE_SIZE, TRAINING_SETTINGS, validate, type TrainingSettings } from '../../core/settings/trainingSettings';
import { useDeviceBudget } from '../model/useDeviceBudget';
import type { StudioState } from '../studio/studioState';
import { memoryAtStart } from './memoryAtStart';
import { FieldFrame, SettingField } from './SettingField';
import { FORM_KEYS, formatDuration, paperDefaults } from './trainSettings';
import './train.css';

export interface TrainPanelProps {
  state: StudioState;
  settings: TrainingSettings;
  onSettings(s: TrainingSettings): void;
  canStart: boolean;
  /** Why training cannot start yet, in words. */
  blocker?: string;
  onStart(): void;
  onPause(): void;
  onResume(): void;
  onStop(): void;
}

/** Problems with the settings, by setting; training waits until there are none. */
export function settingProblems(settings: TrainingSettings): Map<string, string> {
  return new Map(validate(settings).map((p) => [p.key, p.message]));
}

export function TrainPanel({ state, settings, onSettings, canStart, blocker, onStart, onPause, onResume, onStop }: TrainPanelProps) {
  const running = state.session === 'training' || state.session === 'paused';
  const problems = settingProblems(settings);
  /** The ensemble size to return to when the box is ticked again. */
  const lastEnsemble = useRef(settings.ensembleSize > 1 ? settings.ensembleSize : PAPER_ENSEMBLE_SIZE);
  if (settings.ensembleSize > 1) lastEnsemble.current = settings.ensembleSize;
  const set = <K extends keyof TrainingSettings>(key: K, value: TrainingSettings[K]) =>
    // A new optimiser starts from its own learning rate (Adafactor's 0.3 would blow up Adam).
    onSettings(key === 'optimizer' ? { ...settings, optimizer: value as TrainingSettings['optimizer'], learningRate: DEFAULT_LEARNING_RATE[value as TrainingSettings['optimizer']] } : { ...settings, [key]: value });
  const ensembleSpec = TRAINING_SETTINGS.ensembleSize;
  const p = state.progress;
  const totalSteps = settings.steps;
  const eta = p && p.step > 0 ? ((totalSteps - p.step) * p.elapsedMs) / p.step : undefined;
  const budget = useDeviceBudget(state.backend?.name);
  /** What the memory check said at the last Start, shown until the settings change. */
  const [memory, setMemory] = useState<{ check: StartCheck; settings: TrainingSettings }>();
  const memoryNote = memory && memory.settings === settings && memory.check.status !== 'fits' ? memory.check : undefined;
  const start = () => {
    const check = memoryAtStart(state.model, settings, budget);
    setMemory(check && { check, settings });
    if (check?.status !== 'refused') onStart();
  };

  return (
    <section className="panel train-panel" aria-labelledby="train-heading">
      <h2 id="train-heading">3. Train</h2>
      <div className="train-grid">
        {FORM_KEYS.map((key) => (
          <SettingField key={key} settingKey={key} value={settings[key]} onChange={(v) => set(key, v)} disabled={running} problem={problems.get(key)} />
        ))}
        <FieldFrame label="Ensemble" htmlFor="train-ensemble" help={ensembleSpec.help} problem={problems.get('ensembleSize')}>
          <span className="train-ensemble">
            <input
              id="train-ensemble"
              type="checkbox"
              checked={settings.ensembleSize > 1}
              disabled={running}
              onChange={(e) => set('ensembleSize', e.target.checked ? lastEnsemble.current : 1)}
              data-testid="ensemble-toggle"
            />
            <input
              id="train-ensembleSize"
              type="number"
              aria-label={ensembleSpec.label}
              min={2}
              max={ensembleSpec.max}
              value={settings.ensembleSize > 1 ? settings.ensembleSize : lastEnsemble.current}
              disabled={running || settings.ensembleSize <= 1}
              onChange={(e) => set('ensembleSize', e.target.value === '' ? NaN : Number(e.target.value))}
            />
            prompts
          </span>
        </FieldFrame>
      </div>
      <div className="train-actions">
        {!running && (
          <button type="button" className="primary" disabled={!canStart || problems.size > 0} onClick={start} data-testid="train-start">
            Start training
          </button>
        )}
        {state.session === 'training' && (
          <button type="button" onClick={onPause} data-testid="train-pause">
            Pause
          </button>
        )}
        {state.session === 'paused' && (
          <button type="button" className="primary" onClick={onResume} data-testid="train-resume">
            Resume
          </button>
        )}
        {running && (
          <button type="button" onClick={onStop} data-testid="train-stop">
            Stop
          </button>
        )}
        {!running && (
          <button type="button" className="link" onClick={() => onSettings(paperDefaults(settings))}>
            Paper defaults
          </button>
        )}
        {!running && (blocker || problems.size > 0) && <span className="muted">{blocker ?? 'Fix the settings marked above first.'}</span>}
      </div>
      {memoryNote && (
        <p className="warning" role={memoryNote.status === 'refused' ? 'alert' : 'status'} data-testid="train-memory" data-status={memoryNote.status}>
          {memoryNote.message}
        </p>
      )}
      {(running || p) && (
        <p className="train-stats" role="status" aria-live="polite" data-testid="train-stats" data-tensors={p?.memory?.tensors} data-bytes={p?.memory?.bytes}>
          {state.session === 'paused' ? 'Paused at ' : ''}step {p?.step ?? 0} of {totalSteps}
          {p && (
            <>
              {' '}
              · {p.examplesPerSecond.toFixed(1)} examples/s · {Math.round(p.tokensPerSecond)} tokens/s · elapsed {formatDuration(p.elapsedMs)}
              {running && <> · ETA {formatDuration(eta ?? NaN)}</>}
            </>
          )}
          {state.backend && <> · {state.backend.name}</>}
          {state.checkpointStep !== undefined && <> · saved at step {state.checkpointStep}</>}
        </p>
      )}
      {state.data && state.data.truncated > 0 && (
        <p className="muted small">{state.data.truncated} inputs were longer than the maximum length and were truncated.</p>
      )}
      {state.result && <p data-testid="train-result">{state.result.message}.</p>}
    </section>
  );
}
