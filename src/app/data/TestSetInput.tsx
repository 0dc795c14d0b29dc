import { CsvFileButton } from './CsvFileButton';

export type TestSetStatus =
  | { kind: 'loading'; fileName: string; progress: string }
  | { kind: 'error'; fileName: string; message: string }
  | { kind: 'ready'; fileName: string; count: number; skipped: number; unknownLabels: string[] };

export interface TestSetInputProps {
  status: TestSetStatus | undefined;
  onFile(file: File): void;
  onClear(): void;
  disabled?: boolean;
}

const q = (s: string) => `‘${s}’`;

/** An optional second CSV, with the same column names, kept apart as an out-of-domain test set. */
export function TestSetInput({ status, onFile, onClear, disabled = false }: TestSetInputProps) {
  return (
    <div className="data-testset">
      <div className="data-testset__head">
        <span className="data-testset__title">Out-of-domain test set</span>
        <span className="data-muted"> (optional)</span>
      </div>
      <p className="data-testset__hint data-muted">A second CSV with the same column names, never trained on; scored after training.</p>
      <div className="data-testset__row">
        <CsvFileButton onFile={onFile} testId="test-csv-input" disabled={disabled}>
          {status ? 'Choose another…' : 'Choose a test CSV…'}
        </CsvFileButton>
        {status && (
          <button type="button" className="data-button data-button--link" disabled={disabled} onClick={onClear}>
            Remove
          </button>
        )}
      </div>
      {status && (
        <p className={`data-testset__status data-testset__status--${status.kind}`} data-testid="test-set-status" role={status.kind === 'error' ? 'alert' : undefined}>
          <span className="data-testset__file">{status.fileName}</span>
          {status.kind === 'loading' && <span>: {status.progress}</span>}
          {status.kind === 'error' && <span>: {status.message}</span>}
          {status.kind === 'ready' && (
            <span>
              : {status.count.toLocaleString('en-US')} test {status.count === 1 ? 'example' : 'examples'}
              {status.skipped > 0 && `, ${status.skipped.toLocaleString('en-US')} ${status.skipped === 1 ? 'row' : 'rows'} without text or label skipped`}
              {status.unknownLabels.length > 0 &&
                `; ${status.unknownLabels.length === 1 ? 'label' : 'labels'} ${status.unknownLabels.slice(0, 5).map(q).join(', ')}${status.unknownLabels.length > 5 ? '…' : ''} never ${status.unknownLabels.length === 1 ? 'appears' : 'appear'} in the training data`}
            </span>
          )}
        </p>
      )}
    </div>
  );
}
