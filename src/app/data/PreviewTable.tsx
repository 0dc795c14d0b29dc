import type { CsvTable } from '../../core/data/csvTable';

export interface PreviewTableProps {
  table: CsvTable;
  textColumn: string;
  labelColumn: string;
  maxRows?: number;
  /** What row 1 of the file is: the header (the default), the first example, or a JSON line. */
  firstRow?: 'header' | 'data' | 'line';
}

const ROW_TITLES = {
  header: 'Row number in a spreadsheet (the header is row 1)',
  data: 'Row number in the file (the first row is data: row 1 is the first example)',
  line: 'Line number in the file (an item number for a JSON array)',
};

/** Why buildExamples leaves this row out, if it does (the same test: blank after trimming). */
function skipReason(row: readonly string[], columns: readonly string[], textColumn: string, labelColumn: string): string | undefined {
  const t = columns.indexOf(textColumn);
  const l = columns.indexOf(labelColumn);
  if (t < 0 || l < 0 || t === l) return undefined;
  if ((row[t] ?? '').trim() === '') return 'Skipped: no text';
  if ((row[l] ?? '').trim() === '') return 'Skipped: no label';
  return undefined;
}

/**
 * The first rows as the parser read them, every column, long values cut with an ellipsis (the
 * whole value is in the tooltip). Values are React text: CSV content is never parsed as HTML.
 */
export function PreviewTable({ table, textColumn, labelColumn, maxRows = 8, firstRow = 'header' }: PreviewTableProps) {
  const rows = table.rows.slice(0, maxRows);
  const role = (c: string) => (c === textColumn ? 'text' : c === labelColumn ? 'label' : undefined);
  return (
    <figure className="data-preview">
      <div className="data-preview__scroll" tabIndex={0} role="region" aria-label="Preview of the first rows">
        <table className="data-preview__table" data-testid="data-preview">
          <thead>
            <tr>
              <th scope="col" className="data-preview__row" title={ROW_TITLES[firstRow]}>
                {firstRow === 'line' ? 'line' : 'row'}
              </th>
              {table.columns.map((c) => {
                const r = role(c);
                return (
                  <th key={c} scope="col" className={r ? `data-preview__col--${r}` : undefined} title={c}>
                    <span className="data-preview__colname">{c}</span>
                    {r && <span className={`data-tag data-tag--${r}`}>{r}</span>}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const skip = skipReason(row, table.columns, textColumn, labelColumn);
              return (
                <tr key={i} className={skip ? 'data-preview__skipped' : undefined} title={skip}>
                  <td className="data-preview__row">{table.rowNumbers?.[i] ?? i + 2}</td>
                  {table.columns.map((c, j) => {
                    const value = row[j] ?? '';
                    const r = role(c);
                    return (
                      <td key={c} className={r ? `data-preview__col--${r}` : undefined} title={value.length > 40 ? value : undefined}>
                        {value.trim() === '' ? <span className="data-preview__empty">empty</span> : value}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <figcaption className="data-preview__caption">
        {table.rows.length > rows.length
          ? `The first ${rows.length} of ${table.rows.length.toLocaleString('en-US')} rows.`
          : `All ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}.`}
      </figcaption>
    </figure>
  );
}
