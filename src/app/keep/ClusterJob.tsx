/** Keep → "Continue on a GPU cluster": pick a bigger T5, download the ready-to-run PEFT job for it. */
import { useState } from 'react';
import { formatParameters } from '../../core/model/presets';
import type { TrainingSettings } from '../../core/settings/trainingSettings';
import type { TaskKind } from '../../core/task/taskKind';
import type { DatasetChoice } from '../data/datasetChoice';
import { saveBytes } from '../studio/saveBytes';
import { CLUSTER_MODELS, defaultClusterModel, warmStartMismatch } from './clusterModels';

export interface ClusterJobProps {
  dataset: DatasetChoice | undefined;
  settings: TrainingSettings;
  /** The Data step's task type (classification when absent). */
  taskKind?: TaskKind;
  /** The Hub id of the model loaded in the studio, if it came from the Hub. */
  loadedModel: string | undefined;
  /** The prompt Keep holds now (trained or imported), when there is one: its width decides which models it can start. */
  currentPrompt?: { width: number; count: number };
  /** The current prompt as a prompt file, from the worker, for the job's warm start. */
  exportPrompt?: () => Promise<{ name: string; bytes: Uint8Array }>;
}

export function ClusterJob({ dataset, settings, taskKind, loadedModel, currentPrompt, exportPrompt }: ClusterJobProps) {
  const [modelId, setModelId] = useState(() => defaultClusterModel(loadedModel));
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  const [includePrompt, setIncludePrompt] = useState(true);
  const mismatch = currentPrompt && warmStartMismatch(currentPrompt.width, modelId);
  const withPrompt = !!currentPrompt && !!exportPrompt && includePrompt && !mismatch;

  const download = async () => {
    if (!dataset) return;
    try {
      // Loaded on click: train.py and the zip writer stay out of the first page load.
      const { clusterJobZip } = await import('./clusterJob');
      const prompt = withPrompt ? await exportPrompt() : undefined;
      const { fileName, bytes, job } = await clusterJobZip({ modelId, examples: dataset.examples, test: dataset.testSet?.examples, settings, rename: dataset.labelTexts, ...(taskKind ? { kind: taskKind } : {}), prompt });
      saveBytes(bytes, fileName, 'application/zip');
      const { data, steps, warmStart } = job.recipe;
      const start = warmStart ? ` Starts from the current prompt (${warmStart.length} × ${warmStart.width}, ${warmStart.file}).` : '';
      setStatus({ ok: true, text: `Saved ${fileName}: ${data.train.rows} training and ${data.validation?.rows ?? 0} validation rows, ${steps} steps.${start} Unzip it on the GPU machine and run python3 train.py --dry-run; README.md has the rest.` });
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    }
  };

  return (
    <div className="cluster-job">
      <h3>Continue on a GPU cluster</h3>
      <p className="muted small">
        Prompt tuning matches full fine-tuning only on big models (T5-XL and XXL). This writes a ready-to-run Hugging Face PEFT job with this data, its exact split and these settings: a single train.py,
        recipe.json, Accelerate and DeepSpeed ZeRO-3 configurations. The adapter it trains imports here again. It can start from the current prompt (on a model of the same width), as the command line&apos;s <code>export-job --prompt</code> does.
      </p>
      <div className="keep-buttons">
        <label>
          Model{' '}
          <select value={modelId} onChange={(e) => setModelId(e.target.value)} data-testid="cluster-model">
            {CLUSTER_MODELS.map((g) => (
              <optgroup key={g.family} label={g.family}>
                {g.models.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id} ({formatParameters(m.parameters)})
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        {currentPrompt && exportPrompt && (
          <label title={mismatch}>
            <input type="checkbox" checked={withPrompt} disabled={!!mismatch} onChange={(e) => setIncludePrompt(e.target.checked)} data-testid="export-job-prompt" /> Start from the current prompt
            {currentPrompt.count > 1 ? ' (the best of the ensemble on validation)' : ''}
          </label>
        )}
        <button type="button" disabled={!dataset} onClick={() => void download()} data-testid="export-job">
          Download the job (.zip)
        </button>
      </div>
      {!dataset && <p className="muted small">Add a labelled CSV first.</p>}
      {mismatch && includePrompt && (
        <p className="muted small" data-testid="export-job-prompt-width">
          {mismatch}
        </p>
      )}
      {status && (
        <p role="status" className={status.ok ? 'keep-status' : 'warning'} data-testid="export-job-status">
          {status.text}
        </p>
      )}
    </div>
  );
}
