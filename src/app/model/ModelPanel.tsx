/**
 * The Model step: a preset from the Hugging Face Hub (size shown before downloading), any repo id,
 * a local model folder for offline use, or the built-in demo model. Downloads show bytes and
 * percent, come from the browser cache on the next visit, and can be cancelled.
 */
import { useState } from 'react';
import { formatDownloadSize, formatParameters, MODEL_PRESETS } from '../../core/model/presets';
import { hubUrl } from '../../core/io/modelSource';
import type { ModelSpec } from '../../core/worker/protocol';
import type { StudioState } from '../studio/studioState';
import { DownloadProgress } from './DownloadProgress';
import { findPreset, presetSpec } from './modelSpecFor';
import './model.css';

export interface ModelPanelProps {
  state: StudioState;
  onLoad(spec: ModelSpec): void;
  onCancel(): void;
  disabled?: boolean;
  /** The model a shared link names: its preset is marked, or its repo id filled in, never downloaded unasked. */
  suggested?: string;
}

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

export function ModelPanel({ state, onLoad, onCancel, disabled = false, suggested }: ModelPanelProps) {
  const suggestedPreset = suggested ? findPreset(suggested) : undefined;
  const [repo, setRepo] = useState(suggested && !suggestedPreset ? suggested : '');
  const loading = state.session === 'loading';
  const busy = disabled || loading;
  const repoValid = REPO_ID.test(repo.trim());

  return (
    <section className="panel model-panel" aria-labelledby="model-heading">
      <h2 id="model-heading">2. Model</h2>
      <ul className="model-presets">
        {MODEL_PRESETS.map((p) => (
          <li key={p.id} className={['model-preset', p.demo && 'model-preset--demo', p === suggestedPreset && 'model-preset--suggested'].filter(Boolean).join(' ')}>
            <div>
              <strong>{p.name}</strong>
              {p.demo && <span className="badge badge--warn">tiny, offline</span>}
              {p === suggestedPreset && !state.model && <span className="badge">chosen by the link</span>}
              <p className="muted">{p.description}</p>
              <p className="muted small">
                {formatParameters(p.parameters)} parameters · {formatDownloadSize(p.downloadBytes)}
                {p.repo && <> · {p.repo}</>}
              </p>
            </div>
            <button type="button" disabled={busy} onClick={() => onLoad(presetSpec(p))} data-testid={`load-${p.id}`}>
              {p.demo ? 'Use demo' : 'Download'}
            </button>
          </li>
        ))}
      </ul>
      <div className="model-other">
        <form
          className="model-repo"
          onSubmit={(e) => {
            e.preventDefault();
            if (repoValid) onLoad({ kind: 'url', id: repo.trim(), base: hubUrl(repo.trim()) });
          }}
        >
          <label htmlFor="model-repo">Any T5 repo on the Hub</label>
          <input id="model-repo" placeholder="google/flan-t5-base" value={repo} onChange={(e) => setRepo(e.target.value)} disabled={busy} spellCheck={false} />
          <button type="submit" disabled={busy || !repoValid}>
            Download
          </button>
        </form>
        <label className={`button ${busy ? 'button--disabled' : ''}`}>
          Open a local model folder…
          <input
            type="file"
            className="visually-hidden"
            disabled={busy}
            // The folder picker: config.json, model.safetensors or pytorch_model.bin, tokenizer.json.
            {...({ webkitdirectory: '', directory: '' } as object)}
            multiple
            data-testid="model-folder-input"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              if (files.length) onLoad({ kind: 'files', id: files[0]!.webkitRelativePath.split('/')[0] || 'local model', files });
              e.target.value = '';
            }}
          />
        </label>
      </div>
      {loading && <DownloadProgress download={state.download} onCancel={onCancel} />}
      {state.model && !loading && (
        <p className="model-loaded" data-testid="model-loaded">
          Loaded <strong>{state.model.id}</strong>: {formatParameters(state.model.parameters)} parameters, d_model {state.model.dModel}, vocabulary {state.model.vocabSize.toLocaleString()}
          {state.model.id === 'demo' && <span className="badge badge--warn">tiny demo model: simple tasks only</span>}
          {!state.model.hasTokenizer && <span className="badge badge--bad">no tokenizer.json: text cannot be encoded</span>}
        </p>
      )}
    </section>
  );
}
