/**
 * The Train step: the paper's settings with a line of explanation each, then start / pause /
 * resume / stop, with throughput and an ETA while the worker trains.
 */
import type { ReactNode } from 'react';
import { DEFAULT_LEARNING_RATE } from '../../core/tuning/optimizerFactory';
import type { StudioState } from '../studio/studioState';
import { formatDuration, PAPER_SETTINGS, type TrainSettings } from './trainSettings';
import './train.css';

export interface TrainPanelProps {
  state: StudioState;
  settings: TrainSettings;
  onSettings(s: TrainSettings): void;
  canStart: boolean;
  /** Why training cannot start yet, in words. */
  blocker?: string;
  onStart(): void;
  onPause(): void;
  onResume(): void;
  onStop(): void;
}

function Field({ label, help, children, htmlFor }: { label: string; help: string; children: ReactNode; htmlFor: string }) {
  return (
    <div className="train-field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      <p className="muted small">{help}</p>
    </div>
  );
}

export function TrainPanel({ state, settings, onSettings, canStart, blocker, onStart, onPause, onResume, onStop }: TrainPanelProps) {
  const running = state.session === 'training' || state.session === 'paused';
  const set = <K extends keyof TrainSettings>(key: K, value: TrainSettings[K]) => onSettings({ ...settings, [key]: value });
  const num = (key: keyof TrainSettings, min: number, max: number, step = 1) => ({
    id: `train-${key}`,
    type: 'number',
    min,
    max,
    step,
    value: settings[key] as number,
    disabled: running,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const v = Number(e.target.value);
      if (Number.isFinite(v) && v >= min && v <= max) set(key, v as never);
    },
  });
  const p = state.progress;
  const totalSteps = settings.steps;
  const eta = p && p.step > 0 ? ((totalSteps - p.step) * p.elapsedMs) / p.step : undefined;

  return (
    <section className="panel train-panel" aria-labelledby="train-heading">
      <h2 id="train-heading">3. Train</h2>
      <div className="train-grid">
        <Field label="Prompt length" htmlFor="train-promptLength" help="Soft prompt tokens P. The paper uses 100; 20 is nearly as good.">
          <input {...num('promptLength', 1, 500)} />
        </Field>
        <Field label="Initialisation" htmlFor="train-init" help="Class labels (the paper's best), sampled common words, or uniform random.">
          <select id="train-init" value={settings.init} disabled={running} onChange={(e) => set('init', e.target.value as TrainSettings['init'])}>
            <option value="labels">class labels</option>
            <option value="vocab">sampled vocabulary</option>
            <option value="random">random uniform [-0.5, 0.5]</option>
          </select>
        </Field>
        <Field label="Optimiser" htmlFor="train-optimizer" help="Adafactor with lr 0.3 as in the paper; Adam needs a far smaller rate.">
          <select
            id="train-optimizer"
            value={settings.optimizer}
            disabled={running}
            onChange={(e) => {
              const optimizer = e.target.value as TrainSettings['optimizer'];
              onSettings({ ...settings, optimizer, learningRate: DEFAULT_LEARNING_RATE[optimizer] });
            }}
          >
            <option value="adafactor">Adafactor</option>
            <option value="adam">Adam</option>
          </select>
        </Field>
        <Field label="Learning rate" htmlFor="train-learningRate" help="Constant; the paper uses 0.3 with Adafactor.">
          <input {...num('learningRate', 1e-6, 10, 0.0001)} />
        </Field>
        <Field label="Batch size" htmlFor="train-batchSize" help="Examples per step (paper: 32). Lower it if the GPU runs out of memory.">
          <input {...num('batchSize', 1, 256)} />
        </Field>
        <Field label="Steps" htmlFor="train-steps" help="Optimiser steps; the best prompt on validation is kept.">
          <input {...num('steps', 1, 100000)} />
        </Field>
        <Field label="Validate every" htmlFor="train-evalEvery" help="Steps between validation runs (accuracy and loss).">
          <input {...num('evalEvery', 1, 100000)} />
        </Field>
        <Field label="Seed" htmlFor="train-seed" help="Same seed, same prompt, split and batch order.">
          <input {...num('seed', 0, 2 ** 31 - 1)} />
        </Field>
        <Field label="Ensemble" htmlFor="train-ensemble" help="Train several prompts at once (different seeds) in one batched pass; they vote.">
          <span className="train-ensemble">
            <input id="train-ensemble" type="checkbox" checked={settings.ensemble} disabled={running} onChange={(e) => set('ensemble', e.target.checked)} data-testid="ensemble-toggle" />
            <input {...num('ensembleSize', 2, 10)} id="train-ensembleSize" aria-label="Prompts in the ensemble" disabled={running || !settings.ensemble} />
            prompts
          </span>
        </Field>
      </div>
      <div className="train-actions">
        {!running && (
          <button type="button" className="primary" disabled={!canStart} onClick={onStart} data-testid="train-start">
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
          <button type="button" className="link" onClick={() => onSettings(PAPER_SETTINGS)}>
            Paper defaults
          </button>
        )}
        {!canStart && !running && blocker && <span className="muted">{blocker}</span>}
      </div>
      {(running || p) && (
        <p className="train-stats" role="status" aria-live="polite" data-testid="train-stats">
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
