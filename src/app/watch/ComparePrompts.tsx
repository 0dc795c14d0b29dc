/**
 * Runs side by side: the cosine similarity of saved runs' prompts (each member's best) and of
 * prompt files, mean-pooled and token by token, as SPoT compares tasks through their prompts.
 */
import { useState } from 'react';
import type { NamedBytes, WorkerEvent } from '../../core/worker/protocol';
import { SimilarityMatrix } from '../charts';
import type { StudioWorker } from '../studio/useStudioWorker';
import { useWorkerRequest } from './useWorkerRequest';

type Similarity = Extract<WorkerEvent, { type: 'prompt-similarity' }>;

async function readFiles(list: FileList | null): Promise<NamedBytes[][]> {
  return Promise.all([...(list ?? [])].map(async (f) => [{ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }]));
}

export function ComparePrompts({ worker, disabled }: { worker: StudioWorker; disabled: boolean }) {
  const [files, setFiles] = useState<NamedBytes[][]>([]);
  const { result, busy, error, run } = useWorkerRequest<Similarity>();

  const compare = () => run(() => worker.request((requestId) => ({ type: 'compare-prompts', requestId, runIds: 'all', files }), 'prompt-similarity'));

  return (
    <div className="watch__compare">
      <p className="muted small">
        How alike are the prompts of your saved runs (and any prompt files you add)? Cosine similarity of their mean tokens, and the mean cosine of tokens at the same position.
        Similar prompts suggest similar tasks (Vu et al. 2022,{' '}
        <cite>
          <a href="https://aclanthology.org/2022.acl-long.346/" rel="noreferrer" target="_blank">
            SPoT
          </a>
        </cite>
        ), but only between prompts for the same model.
      </p>
      <div className="watch__compare-controls">
        <label className="watch__file">
          Add prompt files
          <input type="file" multiple accept=".safetensors,.zip" onChange={async (e) => setFiles(await readFiles(e.target.files))} data-testid="compare-files" />
        </label>
        <button type="button" onClick={() => void compare()} disabled={disabled || busy} data-testid="compare-run">
          {busy ? 'Comparing…' : `Compare saved runs${files.length ? ` and ${files.length} file${files.length > 1 ? 's' : ''}` : ''}`}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <div className="watch__matrices">
            <SimilarityMatrix names={result.names} matrix={result.meanPooled} caption="Mean-pooled prompts: cosine of their mean tokens" />
            <SimilarityMatrix names={result.names} matrix={result.tokenAligned} caption="Token-aligned: mean cosine of tokens at the same position" />
          </div>
          {result.skipped.length > 0 && <p className="muted small">Left out: {result.skipped.join('; ')}.</p>}
        </>
      )}
    </div>
  );
}
