import type { BackendState } from './useBackend';

const LABELS: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU (JavaScript)' };

/** Which TF.js backend computes, and, when it is not WebGPU, why not. */
export function BackendBadge({ state }: { state: BackendState }) {
  if (state.status === 'starting') return <p className="backend" data-testid="backend" data-backend="">Starting TensorFlow.js…</p>;
  if (state.status === 'failed') {
    return (
      <p className="backend backend--failed" data-testid="backend" data-backend="none" role="alert">
        No compute backend could start: {state.message}
      </p>
    );
  }
  const { name, reason } = state.choice;
  return (
    <div className={`backend backend--${name === 'webgpu' ? 'ok' : 'fallback'}`} data-testid="backend" data-backend={name}>
      <span>
        Backend: <strong>{LABELS[name] ?? name}</strong>
      </span>
      {reason && <span className="backend__reason"> — fell back because {reason}.</span>}
    </div>
  );
}
