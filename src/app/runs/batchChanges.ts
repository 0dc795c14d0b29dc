/**
 * Coalesces announcements of changed runs: the first one starts a short wait, every run announced
 * during it joins the batch, and one flush handles them all. The wait is not restarted by later
 * announcements, so a run that saves constantly still updates the list once per wait.
 */
export interface ChangeBatch {
  add(runId: string): void;
  /** Drops a pending batch (on unmount). */
  cancel(): void;
}

export interface Timers {
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: Timers = {
  setTimeout: (f, ms) => globalThis.setTimeout(f, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function batchChanges(flush: (runIds: Set<string>) => void, waitMs: number, timers: Timers = browserTimers): ChangeBatch {
  let pending = new Set<string>();
  let handle: unknown;
  return {
    add(runId) {
      pending.add(runId);
      if (handle !== undefined) return;
      handle = timers.setTimeout(() => {
        const ids = pending;
        pending = new Set();
        handle = undefined;
        flush(ids);
      }, waitMs);
    },
    cancel() {
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
      pending = new Set();
    },
  };
}
