/**
 * Runs saved in this browser (IndexedDB): a reload or a crashed tab loses nothing. Show an old
 * run's curve, resume a run that did not finish from its last checkpoint, or delete it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { RunRecord } from '../../core/storage/runRecord';
import { IndexedDbRunStore } from '../../core/storage/indexedDbRunStore';

const store = new IndexedDbRunStore();

export interface RunsPanelProps {
  /** Changes whenever the worker may have saved something (status, checkpoint). */
  refreshKey: string;
  activeRunId: string | undefined;
  busy: boolean;
  onShow(run: RunRecord): void;
  onResume(run: RunRecord): void;
  /** Load the run's model if needed and make its prompts the current ones (download, try, evaluate). */
  onUse(run: RunRecord): void;
}

export function RunsPanel({ refreshKey, activeRunId, busy, onShow, onResume, onUse }: RunsPanelProps) {
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    store.listRuns().then(
      (r) => {
        setRuns(r);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, []);
  useEffect(reload, [reload, refreshKey]);

  if (error) return <p className="error">Saved runs are unavailable: {error}</p>;
  if (runs.length === 0) return null;
  return (
    <section className="panel runs-panel" aria-labelledby="runs-heading">
      <h2 id="runs-heading">Saved runs</h2>
      <table className="runs" data-testid="runs">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Model</th>
            <th scope="col">Labels</th>
            <th scope="col">Steps</th>
            <th scope="col">Last loss</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const last = r.losses[r.losses.length - 1];
            const resumable = r.status !== 'completed' && r.id !== activeRunId && !!r.resume;
            return (
              <tr key={r.id} data-run-id={r.id} aria-current={r.id === activeRunId ? 'true' : undefined}>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td>{r.modelId}</td>
                <td>{r.task.targetTexts.join(', ')}</td>
                <td>
                  {last?.[0] ?? 0} / {r.config.steps}
                </td>
                <td>{last ? last[1].toFixed(4) : '—'}</td>
                <td>{r.id === activeRunId ? 'running' : r.status === 'training' ? 'interrupted' : r.status}</td>
                <td className="runs__actions">
                  <button type="button" onClick={() => onShow(r)}>
                    Show curve
                  </button>
                  <button type="button" disabled={busy || r.id === activeRunId || !r.resume} onClick={() => onUse(r)} data-testid="use-run">
                    Use prompt
                  </button>
                  {resumable && (
                    <button type="button" disabled={busy} onClick={() => onResume(r)} data-testid="resume-run">
                      Resume
                    </button>
                  )}
                  <button
                    type="button"
                    disabled={r.id === activeRunId}
                    onClick={() => {
                      if (confirm('Delete this run and its checkpoint?')) void store.deleteRun(r.id).then(reload);
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
