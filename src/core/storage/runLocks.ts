/**
 * One owner per run across tabs. Two tabs (or a reloaded tab whose old worker still runs) must
 * never train the same run twice or interleave its checkpoints, so the worker holds a Web Lock named
 * after the run for as long as it trains it. The browser releases the lock when the tab closes or
 * crashes, so another tab can take the run over from its last checkpoint.
 */

export interface RunLocks {
  /** A release function when this context now owns the run; undefined when another one does. */
  tryAcquire(runId: string): Promise<(() => void) | undefined>;
  /** The runs some context (this one included) is training now. */
  heldRuns(): Promise<Set<string>>;
}

const PREFIX = 'prompt-tuning-studio:run:';

export const runLockName = (runId: string) => `${PREFIX}${runId}`;

interface LockManagerLike {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown>;
  query(): Promise<{ held?: Array<{ name?: string }> }>;
}

/** Web Locks (page and worker); when the browser has none, locks within this context only. */
export function defaultRunLocks(): RunLocks {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return locks ? webRunLocks(locks) : memoryRunLocks();
}

export function webRunLocks(locks: LockManagerLike): RunLocks {
  return {
    tryAcquire: (runId) =>
      new Promise((resolve, reject) => {
        locks
          .request(runLockName(runId), { ifAvailable: true }, (lock) => {
            if (!lock) return resolve(undefined);
            // The lock is held until the promise returned here settles: that is, until release().
            return new Promise<void>((release) => resolve(release));
          })
          .catch(reject);
      }),
    async heldRuns() {
      const { held = [] } = await locks.query();
      return new Set(held.flatMap((l) => (l.name?.startsWith(PREFIX) ? [l.name.slice(PREFIX.length)] : [])));
    },
  };
}

/** For Node (the CLI's tests, the session's tests): one process, one set of owners. */
export function memoryRunLocks(): RunLocks {
  const held = new Set<string>();
  return {
    async tryAcquire(runId) {
      if (held.has(runId)) return undefined;
      held.add(runId);
      return () => held.delete(runId);
    },
    heldRuns: async () => new Set(held),
  };
}
