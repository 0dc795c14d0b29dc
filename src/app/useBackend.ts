import { useEffect, useState } from 'react';
import { selectBackend, type BackendChoice } from '../core/backend';

// One selection per page: TF.js backends are global, and StrictMode runs effects twice.
let selection: Promise<BackendChoice> | undefined;

export type BackendState = { status: 'starting' } | { status: 'ready'; choice: BackendChoice } | { status: 'failed'; message: string };

/** Starts TF.js once for the page and reports which backend it got, and why. */
export function useBackend(): BackendState {
  const [state, setState] = useState<BackendState>({ status: 'starting' });
  useEffect(() => {
    let live = true;
    selection ??= selectBackend();
    selection.then(
      (choice) => live && setState({ status: 'ready', choice }),
      (e: Error) => live && setState({ status: 'failed', message: e.message }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
