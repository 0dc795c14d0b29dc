import { useState } from 'react';
import type { BackendName } from '../core/backend';
import { describeTimings, type MeasuredChoice } from '../core/backendChoice';
import { forgetRecords, loadPreferences, saveOverride } from '../core/backendChoiceStore';
import { pageStorage } from './studio/pageStorage';

const LABELS: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU (JavaScript)' };

export interface BackendInfo {
  name: string;
  reason?: string;
  /** The GPU adapter, or WebAssembly's SIMD and threads. */
  detail?: string;
  /** The backends a run can be measured on here (more than one: the person may pick). */
  usable?: BackendName[];
  /** How the run's backend was chosen, with the step times behind it. */
  measured?: MeasuredChoice;
  /** Backends being timed right now, before a run. */
  measuring?: BackendName[];
}

const BECAUSE: Record<MeasuredChoice['because'], string> = {
  measured: 'fastest measured',
  remembered: 'fastest when measured',
  override: 'your choice',
};

/** Pick a backend by hand (remembered), or leave it to the measurement; applies when the next run starts. */
function BackendPicker({ usable }: { usable: BackendName[] }) {
  const [override, setOverride] = useState(() => loadPreferences(pageStorage()).override);
  const [forgotten, setForgotten] = useState(false);
  const choose = (value: string) => {
    const next = value ? (value as BackendName) : undefined;
    saveOverride(pageStorage(), next);
    setOverride(next);
  };
  return (
    <span className="backend__picker">
      <label>
        <span className="visually-hidden">Train on</span>
        <select value={override ?? ''} onChange={(e) => choose(e.target.value)} aria-label="Backend for training" data-testid="backend-override">
          <option value="">Fastest (measured)</option>
          {usable.map((name) => (
            <option key={name} value={name}>
              {LABELS[name]}
            </option>
          ))}
        </select>
      </label>{' '}
      {!override && (
        <button type="button" className="link" disabled={forgotten} onClick={() => (forgetRecords(pageStorage()), setForgotten(true))} title="Time each backend again when the next run starts">
          {forgotten ? 'will measure at next start' : 'measure again'}
        </button>
      )}
    </span>
  );
}

/** Which TF.js backend the training worker computes on, on what, why, and (when measured) how fast each was. */
export function BackendBadge({ backend, failure }: { backend: BackendInfo | undefined; failure?: string }) {
  if (failure) {
    return (
      <p className="backend backend--failed" data-testid="backend" data-backend="none" role="alert">
        No compute backend could start: {failure}
      </p>
    );
  }
  if (!backend) return <p className="backend" data-testid="backend" data-backend="">Starting TensorFlow.js…</p>;
  const { measured, measuring, usable } = backend;
  return (
    <div className={`backend backend--${backend.name === 'webgpu' ? 'ok' : 'fallback'}`} data-testid="backend" data-backend={backend.name}>
      <span>
        Backend: <strong>{LABELS[backend.name] ?? backend.name}</strong>
        {backend.detail && <span className="backend__detail"> ({backend.detail})</span>}
      </span>
      {backend.reason && <span className="backend__reason"> — fell back because {backend.reason}.</span>}
      {measuring && !measured && (
        <span className="backend__reason" data-testid="backend-measuring">
          {' '}
          — timing a training step on {measuring.map((n) => LABELS[n]).join(', ')} to train on the fastest…
        </span>
      )}
      {measured?.timings?.length ? (
        <span className="backend__timings" data-testid="backend-timings">
          {' '}
          — {BECAUSE[measured.because]}; per step: {describeTimings(measured.timings)}
        </span>
      ) : (
        measured?.because === 'override' && <span className="backend__timings"> — your choice</span>
      )}
      {usable && usable.length > 1 && <BackendPicker usable={usable} />}
    </div>
  );
}
