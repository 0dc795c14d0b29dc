/**
 * Which saved runs another tab is training now (it holds the run's Web Lock), checked every few
 * seconds and whenever a run changes, so a run shows as "running in another tab" and becomes
 * resumable here as soon as that tab closes.
 */
import { useEffect, useState } from 'react';
import { defaultRunLocks } from '../../core/storage/runLocks';

const POLL_MS = 2000;
const locks = defaultRunLocks();

export function useRunsElsewhere(activeRunId: string | undefined, refreshKey: unknown): Set<string> {
  const [held, setHeld] = useState<Set<string>>(new Set());
  useEffect(() => {
    let live = true;
    const check = () =>
      void locks.heldRuns().then(
        (runs) => live && setHeld((old) => (sameSet(old, runs) ? old : runs)),
        () => undefined,
      );
    check();
    const timer = setInterval(check, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [refreshKey]);
  // This tab's own run holds a lock too: it is running here, not elsewhere.
  return new Set([...held].filter((id) => id !== activeRunId));
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
