/**
 * The Model step: a preset from the Hugging Face Hub (size shown before downloading), any repo id,
 * a local model folder for offline use, or the built-in demo model. Downloads show bytes and
 * percent, come from the browser cache on the next visit, and can be cancelled.
 */
import { useState } from 'react';
import { formatBytes } from '../../core/model/memoryFit';
import { formatDownloadSize, formatParameters, MODEL_PRESETS, type ModelPreset } from '../../core/model/presets';
import { findKnownT5 } from '../../core/model/t5Catalogue';
import { parameterCount } from '../../core/model/t5Parameters';
import type { TrainingSettings } from '../../core/settings/trainingSettings';
import type { ModelSpec } from '../../core/worker/protocol';
import type { StudioState } from '../studio/studioState';
import { DownloadProgress } from './DownloadProgress';
import { fetchHubConfig, memoryVerdict, shortVerdict, verdictBeforeDownload } from './modelMemory';
import { findPreset, modelSpecFor, presetSpec } from './modelSpecFor';
import { useDeviceBudget } from './useDeviceBudget';
import './model.css';

export interface ModelPanelProps {
  state: StudioState;
  onLoad(spec: ModelSpec): void;
  onCancel(): void;
  disabled?: boolean;
  /** The model a shared link names: its preset is marked, or its repo id filled in, never downloaded unasked. */
  suggested?: string;
  /** The training settings: the memory a model needs depends on batch, prompt and input length. */
  settings: TrainingSettings;
}

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

export function ModelPanel({ state, onLoad, onCancel, disabled = false, suggested, settings }: ModelPanelProps) {
  const suggestedPreset = suggested ? findPreset(suggested) : undefined;
  const [repo, setRepo] = useState(suggested && !suggestedPreset ? suggested : '');
  const loading = state.session === 'loading';
  const busy = disabled || loading;
  const repoValid = REPO_ID.test(repo.trim());
  const budget = useDeviceBudget(state.backend?.name);
  /** Why the last download asked for was refused (memory), or why its config could not be read. */
  const [refused, setRefused] = useState<{ model: string; message: string }>();
  const [checking, setChecking] = useState(false);

  /** Check the memory first (on WebGPU by asking the GPU for it), then download; refuse with the numbers. */
  const loadChecked = async (name: string, config: ModelPreset['config'] | undefined, load: () => void) => {
    setRefused(undefined);
    setChecking(true);
    try {
      const shape = config ?? findKnownT5(name)?.config ?? (await fetchHubConfig(name));
      const gpu = typeof navigator !== 'undefined' && 'gpu' in navigator ? navigator.gpu : undefined;
      const verdict = await verdictBeforeDownload(shape, parameterCount(shape), settings, budget, gpu);
      if (verdict && !verdict.fits) setRefused({ model: name, message: `${name}: ${verdict.message}` });
      else load();
    } catch (e) {
      setRefused({ model: name, message: `${name}: ${(e as Error).message}` });
    } finally {
      setChecking(false);
    }
  };

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
              <PresetMemory preset={p} settings={settings} budget={budget} />
            </div>
            <button type="button" disabled={busy || checking || (!!budget && !memoryVerdict(p.config, p.parameters, settings, budget).fits)} onClick={() => void loadChecked(p.repo ?? p.id, p.config, () => onLoad(presetSpec(p)))} data-testid={`load-${p.id}`}>
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
            const id = repo.trim();
            if (repoValid) void loadChecked(id, undefined, () => onLoad(modelSpecFor(id)));
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
      {refused && (
        <p className="warning" role="alert" data-testid="model-refused">
          Not downloaded. {refused.message}
        </p>
      )}
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

/** The memory a preset needs at the current settings, and whether this device holds it. */
function PresetMemory({ preset, settings, budget }: { preset: ModelPreset; settings: TrainingSettings; budget: ReturnType<typeof useDeviceBudget> }) {
  if (!budget) return null;
  const verdict = memoryVerdict(preset.config, preset.parameters, settings, budget);
  if (verdict.fits) return <p className="muted small">Training needs about {formatBytes(verdict.need.total)} at these settings.</p>;
  // One line per card; the breakdown and what would fit open on demand, so the list stays readable.
  return (
    <details className="small model-preset__too-big" data-testid={`too-big-${preset.id}`}>
      <summary title={verdict.message}>{shortVerdict(verdict, budget)}</summary>
      {verdict.message}
    </details>
  );
}
