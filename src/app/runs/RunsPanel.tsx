/**
 * Runs saved in this browser (IndexedDB): a reload or a crashed tab loses nothing. Show an old
 * run's curve, resume a run that did not finish from its last checkpoint, or delete it.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RunRecord } from '../../core/storage/runRecord';
import { IndexedDbRunStore } from '../../core/storage/indexedDbRunStore';
import { onRunsChanged } from '../../core/storage/runsChannel';
import { SavedRunsIndex } from '../../core/storage/savedRunsIndex';
import { batchChanges } from './batchChanges';
import { StorageSummary } from './StorageSummary';
import { useRunsElsewhere } from './useRunsElsewhere';

const store = new IndexedDbRunStore();
/** Announcements within this long are handled together (a running run announces every save). */
const BATCH_MS = 400;

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
  const index = useMemo(() => new SavedRunsIndex(store), []);
  const [view, setView] = useState<{ runs: RunRecord[]; bytes: number }>({ runs: [], bytes: 0 });
  const [error, setError] = useState<string>();
  /** Bumped when another tab (or this tab's worker) announces a change to a saved run. */
  const [changes, setChanges] = useState(0);
  /** Re-reads the given runs, or the list (with the checkpoints of runs not seen yet) without ids. */
  const reload = useCallback(
    (ids?: Iterable<string>) =>
      (ids ? index.reload(ids) : index.reloadAll()).then(
        () => {
          setView({ runs: index.runs, bytes: index.totalBytes });
          setError(undefined);
        },
        (e: Error) => setError(e.message),
      ),
    [index],
  );
  useEffect(() => {
    const batch = batchChanges((ids) => {
      void reload(ids);
      setChanges((n) => n + 1);
    }, BATCH_MS);
    const stop = onRunsChanged((change) => batch.add(change.runId));
    return () => {
      stop();
      batch.cancel();
    };
  }, [reload]);
  // This tab's worker saved something: its run is the one that changed (the whole list on first show or without one).
  useEffect(() => void reload(activeRunId ? [activeRunId] : undefined), [reload, refreshKey, activeRunId]);
  const { runs, bytes } = view;
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
                      if (confirm('Delete this run and its checkpoint?')) void store.deleteRun(r.id).then(() => reload([r.id]));
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
