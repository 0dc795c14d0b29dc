/** One worker request at a time from a panel: its latest result, whether it is running, and its error. */
import { useState } from 'react';

export function useWorkerRequest<T>() {
  const [result, setResult] = useState<T>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const run = async (request: () => Promise<T>) => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await request());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return { result, busy, error, run };
}
