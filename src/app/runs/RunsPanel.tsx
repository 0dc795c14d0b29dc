/**
 * Runs saved in this browser (IndexedDB): a reload or a crashed tab loses nothing. Show an old
 * run's curve, resume a run that did not finish from its last checkpoint, or delete it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { RunRecord } from '../../core/storage/runRecord';
import { IndexedDbRunStore } from '../../core/storage/indexedDbRunStore';
import { onRunsChanged } from '../../core/storage/runsChannel';
import { runBytes } from '../../core/storage/storageStatus';
import { StorageSummary } from './StorageSummary';
import { useRunsElsewhere } from './useRunsElsewhere';

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
  const [bytes, setBytes] = useState(0);
  const [error, setError] = useState<string>();
  /** Bumped when another tab (or this tab's worker) announces a change to a saved run. */
  const [changes, setChanges] = useState(0);
  const reload = useCallback(() => {
    store.listRuns().then(
      async (r) => {
        setRuns(r);
        setError(undefined);
        const checkpoints = await Promise.all(r.map((run) => store.loadCheckpoint(run.id).catch(() => undefined)));
        setBytes(r.reduce((s, run, i) => s + runBytes(run, checkpoints[i]), 0));
      },
      (e: Error) => setError(e.message),
    );
  }, []);
  useEffect(() => onRunsChanged(() => setChanges((n) => n + 1)), []);
  useEffect(reload, [reload, refreshKey, changes]);
  const elsewhere = useRunsElsewhere(activeRunId, changes);

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
            const away = elsewhere.has(r.id);
            const resumable = r.status !== 'completed' && r.id !== activeRunId && !away && !!r.resume;
            return (
              <tr key={r.id} data-run-id={r.id} aria-current={r.id === activeRunId ? 'true' : undefined}>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td>{r.modelId}</td>
                <td>{r.task.targetTexts.join(', ')}</td>
                <td>
                  {last?.[0] ?? 0} / {r.config.steps}
                </td>
                <td>{last ? last[1].toFixed(4) : '—'}</td>
                <td data-testid="run-status">{r.id === activeRunId ? 'running' : away ? 'running in another tab' : r.status === 'training' ? 'interrupted' : r.status}</td>
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
                    disabled={r.id === activeRunId || away}
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
      <StorageSummary runsBytes={bytes} refreshKey={`${refreshKey}:${changes}`} />
    </section>
  );
}
