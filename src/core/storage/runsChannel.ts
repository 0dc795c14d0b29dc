/**
 * Tells every tab of the studio that a saved run changed (progress saved, finished, deleted), so
 * each tab's saved-runs list stays current without polling the database. BroadcastChannel reaches
 * the other tabs and workers of this origin; where it is missing (Node), nothing is sent.
 */

export const RUNS_CHANNEL = 'prompt-tuning-studio:runs';

export interface RunsChanged {
  runId: string;
  status?: string;
}

function channel(): BroadcastChannel | undefined {
  return typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(RUNS_CHANNEL);
}

/** A sender for one context; reuse it (opening a channel per message would be wasteful). */
export function runsAnnouncer(): (change: RunsChanged) => void {
  const c = channel();
  return (change) => c?.postMessage(change);
}

/** Calls `listener` for changes announced by other contexts; returns the unsubscribe function. */
export function onRunsChanged(listener: (change: RunsChanged) => void): () => void {
  const c = channel();
  if (!c) return () => {};
  c.onmessage = (e: MessageEvent<RunsChanged>) => listener(e.data);
  return () => c.close();
}
