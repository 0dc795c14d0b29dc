import { useRef, useState, type DragEvent } from 'react';
import { CsvFileButton } from './CsvFileButton';

export interface DropZoneProps {
  onFile(file: File): void;
  onDemo(): void;
  disabled?: boolean;
  /** A slim bar (a file is already loaded) instead of the big empty-state target. */
  compact?: boolean;
}

/** Drag a file here, or choose one with the (keyboard-focusable) file input. */
export function DropZone({ onFile, onDemo, disabled = false, compact = false }: DropZoneProps) {
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them so the highlight does not flicker.
  const depth = useRef(0);

  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const onDragEnter = (e: DragEvent) => {
    if (disabled || !hasFiles(e)) return;
    e.preventDefault();
    depth.current++;
    setOver(true);
  };
  const onDragOver = (e: DragEvent) => {
    if (disabled || !hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setOver(false);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    depth.current = 0;
    setOver(false);
    if (disabled) return;
    const file = e.dataTransfer.files[0];
    if (file) onFile(file);
  };

  const classes = ['data-drop', compact ? 'data-drop--compact' : '', over ? 'data-drop--over' : '', disabled ? 'data-drop--disabled' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} data-testid="csv-drop" onDragEnter={onDragEnter} onDragOver={onDragOver} onDragLeave={onDragLeave} onDrop={onDrop}>
      <p className="data-drop__title">{over ? 'Drop to load it' : compact ? 'Drop another CSV here to replace it' : 'Drop a labelled CSV here'}</p>
      {!compact && (
        <p className="data-drop__hint">One column of text and one of labels (e.g. “text,label”), with or without a header row. CSV, TSV or JSON Lines (one {'{"text": …, "label": …}'} per line), any common encoding. It stays on this machine.</p>
      )}
      <div className="data-drop__actions">
        <CsvFileButton onFile={onFile} testId="csv-input" disabled={disabled} primary={!compact}>
          {compact ? 'Choose another file…' : 'Choose a file…'}
        </CsvFileButton>
        <button type="button" className="data-button data-button--link" data-testid="demo-data" disabled={disabled} onClick={onDemo}>
          Use the demo emails (spam or ham)
        </button>
      </div>
    </div>
  );
}
