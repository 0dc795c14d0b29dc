export interface ColumnPickerProps {
  columns: readonly string[];
  textColumn: string;
  labelColumn: string;
  onChange(textColumn: string, labelColumn: string): void;
  disabled?: boolean;
}

/** The text and label column choice (auto-detected, changeable). */
export function ColumnPicker({ columns, textColumn, labelColumn, onChange, disabled = false }: ColumnPickerProps) {
  const options = (chosen: string) => (
    <>
      {!chosen && <option value="">Choose…</option>}
      {columns.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </>
  );
  return (
    <div className="data-columns">
      <label className="data-columns__field">
        <span className="data-columns__name">
          <span className="data-tag data-tag--text">text</span> column
        </span>
        <select data-testid="text-column" value={textColumn} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value, labelColumn)}>
          {options(textColumn)}
        </select>
      </label>
      <label className="data-columns__field">
        <span className="data-columns__name">
          <span className="data-tag data-tag--label">label</span> column
        </span>
        <select data-testid="label-column" value={labelColumn} disabled={disabled} onChange={(e) => onChange(textColumn, e.currentTarget.value)}>
          {options(labelColumn)}
        </select>
      </label>
    </div>
  );
}
