/** Keep → "Continue on a GPU cluster": pick a bigger T5, download the ready-to-run PEFT job for it. */
import { useState } from 'react';
import { formatParameters } from '../../core/model/presets';
import type { TrainingSettings } from '../../core/settings/trainingSettings';
import type { DatasetChoice } from '../data/datasetChoice';
import { saveBytes } from '../studio/saveBytes';
import { CLUSTER_MODELS, clusterJobZip, defaultClusterModel } from './clusterJob';

export interface ClusterJobProps {
  dataset: DatasetChoice | undefined;
  settings: TrainingSettings;
  /** The Hub id of the model loaded in the studio, if it came from the Hub. */
  loadedModel: string | undefined;
}

export function ClusterJob({ dataset, settings, loadedModel }: ClusterJobProps) {
  const [modelId, setModelId] = useState(() => defaultClusterModel(loadedModel));
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();

  const download = async () => {
    if (!dataset) return;
    try {
      const { fileName, bytes, job } = await clusterJobZip({ modelId, examples: dataset.examples, test: dataset.testSet?.examples, settings, rename: dataset.labelTexts });
      saveBytes(bytes, fileName, 'application/zip');
      const { data, steps } = job.recipe;
      setStatus({ ok: true, text: `Saved ${fileName}: ${data.train.rows} training and ${data.validation?.rows ?? 0} validation rows, ${steps} steps. Unzip it on the GPU machine and run python3 train.py --dry-run; README.md has the rest.` });
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    }
  };

  return (
    <div className="cluster-job">
      <h3>Continue on a GPU cluster</h3>
      <p className="muted small">
        Prompt tuning matches full fine-tuning only on big models (T5-XL and XXL). This writes a ready-to-run Hugging Face PEFT job with this data, its exact split and these settings: a single train.py,
        recipe.json, Accelerate and DeepSpeed ZeRO-3 configurations. The adapter it trains imports here again. To start from a prompt, use the command line&apos;s <code>export-job --prompt</code>.
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
        <button type="button" disabled={!dataset} onClick={() => void download()} data-testid="export-job">
          Download the job (.zip)
        </button>
      </div>
      {!dataset && <p className="muted small">Add a labelled CSV first.</p>}
      {status && (
        <p role="status" className={status.ok ? 'keep-status' : 'warning'} data-testid="export-job-status">
          {status.text}
        </p>
      )}
    </div>
  );
}
