const LABELS: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU (JavaScript)' };

export interface BackendInfo {
  name: string;
  reason?: string;
  /** The GPU adapter, or WebAssembly's SIMD and threads. */
  detail?: string;
}

/** Which TF.js backend the training worker computes on, on what, and why a faster one was skipped. */
export function BackendBadge({ backend, failure }: { backend: BackendInfo | undefined; failure?: string }) {
  if (failure) {
    return (
      <p className="backend backend--failed" data-testid="backend" data-backend="none" role="alert">
        No compute backend could start: {failure}
      </p>
    );
  }
  if (!backend) return <p className="backend" data-testid="backend" data-backend="">Starting TensorFlow.js…</p>;
  return (
    <div className={`backend backend--${backend.name === 'webgpu' ? 'ok' : 'fallback'}`} data-testid="backend" data-backend={backend.name}>
      <span>
        Backend: <strong>{LABELS[backend.name] ?? backend.name}</strong>
        {backend.detail && <span className="backend__detail"> ({backend.detail})</span>}
      </span>
      {backend.reason && <span className="backend__reason"> — fell back because {backend.reason}.</span>}
    </div>
  );
}
