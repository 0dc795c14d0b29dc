/**
 * Under the saved runs: whether the browser may clear them (persistent storage, asked for once the
 * first run is saved), the space runs and cached models take, and a way to free the model cache.
 */
import { useEffect, useState } from 'react';
import { clearModelCache } from '../../core/io/cachedSource';
import { formatBytes } from '../../core/format/bytes';
import { modelCacheBytes, requestPersistence, storageStatus, type StorageStatus } from '../../core/storage/storageStatus';

export function StorageSummary({ runsBytes, refreshKey }: { runsBytes: number; refreshKey: unknown }) {
  const [status, setStatus] = useState<StorageStatus>({});
  const [models, setModels] = useState(0);
  const [asked, setAsked] = useState<boolean | undefined>();
  const [message, setMessage] = useState<string>();

  useEffect(() => {
    void requestPersistence().then(setAsked);
  }, []);
  useEffect(() => {
    void storageStatus().then(setStatus);
    void modelCacheBytes().then(setModels);
  }, [refreshKey, asked]);

  const persisted = status.persisted ?? asked;
  return (
    <div className="runs__storage muted small" data-testid="storage-summary" data-persisted={persisted === undefined ? 'unknown' : String(persisted)}>
      <p>
        {persisted
          ? 'Saved runs are kept: the browser granted persistent storage.'
          : persisted === false
            ? 'The browser may clear saved runs when the disk runs low (it did not grant persistent storage); download prompts you want to keep.'
            : 'This browser cannot promise to keep saved runs; download prompts you want to keep.'}{' '}
        Saved runs: {formatBytes(runsBytes)}. Cached models: {formatBytes(models)}
        {status.usage !== undefined && status.quota ? ` (this site uses ${formatBytes(status.usage)} of ${formatBytes(status.quota)})` : ''}.
      </p>
      {models > 0 && (
        <button
          type="button"
          className="link"
          data-testid="clear-model-cache"
          onClick={() =>
            void clearModelCache().then(
              (n) => {
                setModels(0);
                setMessage(`Deleted ${n} cached model file${n === 1 ? '' : 's'}; models download again when next used.`);
              },
              (e: Error) => setMessage(`Could not delete the cached models: ${e.message}`),
            )
          }
        >
          Delete cached models
        </button>
      )}
      {message && <p role="status">{message}</p>}
    </div>
  );
}
