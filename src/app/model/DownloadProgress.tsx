import { formatBytes } from '../../core/format/bytes';
import type { DownloadState } from '../studio/studioState';

/** Bytes and percent of the model files being downloaded (or read from the cache), with Cancel. */
export function DownloadProgress({ download, onCancel }: { download: DownloadState | undefined; onCancel(): void }) {
  const files = Object.entries(download?.files ?? {});
  const loaded = files.reduce((s, [, f]) => s + f.loaded, 0);
  const known = files.every(([, f]) => f.total !== undefined);
  const total = files.reduce((s, [, f]) => s + (f.total ?? f.loaded), 0);
  const percent = known && total > 0 ? Math.floor((100 * loaded) / total) : undefined;
  const fromCache = files.length > 0 && files.every(([, f]) => f.fromCache);
  return (
    <div className="download" role="status" aria-live="polite" data-testid="download-progress">
      <progress max={100} value={percent} aria-label="Download progress" />
      <span>
        {files.length === 0 ? 'Starting…' : fromCache ? `Loading from the browser cache: ${formatBytes(loaded)}` : `${formatBytes(loaded)}${known ? ` of ${formatBytes(total)}` : ''}${percent !== undefined ? ` (${percent}%)` : ''}`}
      </span>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
