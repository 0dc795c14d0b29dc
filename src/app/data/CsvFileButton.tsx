import type { ReactNode } from 'react';

/** Delimited text and JSON Lines (or a JSON array of records). */
export const CSV_ACCEPT = '.csv,.tsv,.tab,.txt,.jsonl,.ndjson,.json,text/csv,text/tab-separated-values,application/json,application/x-ndjson';

export interface CsvFileButtonProps {
  onFile(file: File): void;
  /** data-testid of the file input. */
  testId: string;
  disabled: boolean;
  primary?: boolean;
  children: ReactNode;
}

/** A button-looking <label> around a hidden (keyboard-focusable) CSV file input. */
export function CsvFileButton({ onFile, testId, disabled, primary = false, children }: CsvFileButtonProps) {
  return (
    <label className={`data-button${primary ? ' data-button--primary' : ''}${disabled ? ' data-button--disabled' : ''}`}>
      <input
        className="data-visually-hidden"
        type="file"
        accept={CSV_ACCEPT}
        data-testid={testId}
        disabled={disabled}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          // Cleared so that choosing the same file again (after fixing it) loads it again.
          e.currentTarget.value = '';
          if (file) onFile(file);
        }}
      />
      {children}
    </label>
  );
}
