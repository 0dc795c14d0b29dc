import * as d3 from 'd3';
import { useMemo, type CSSProperties } from 'react';
import { rowRecalls } from './chartUtils';
import './chartsShared.css';
import './ConfusionMatrix.css';

export interface ConfusionMatrixProps {
  labels: string[];
  /** Counts indexed [true label][predicted label]. */
  matrix: number[][];
}

const fmtPct = d3.format('.0%');
const fmtPct1 = d3.format('.1%');
const fmtCount = d3.format(',d');

/**
 * A confusion matrix as a heat-map table: rows are the true labels, columns the predicted ones,
 * each cell shaded by its share of the row (so rare classes read as clearly as common ones) and
 * showing its count; the last column is each row's recall. A real <table>, so screen readers can
 * walk it cell by cell.
 */
export function ConfusionMatrix({ labels, matrix }: ConfusionMatrixProps) {
  const n = Math.max(labels.length, matrix.length, ...matrix.map((r) => r.length));
  const names = useMemo(() => Array.from({ length: n }, (_, i) => labels[i] ?? `#${i + 1}`), [labels, n]);
  const cells = useMemo(() => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => matrix[i]?.[j] ?? 0)), [matrix, n]);
  const recalls = useMemo(() => rowRecalls(cells), [cells]);
  // Theme-aware shading: a mix of the accent colour into the panel colour.
  const shade = useMemo(
    () => d3.scaleSequential((t: number) => `color-mix(in srgb, var(--accent) ${Math.round(t * 100)}%, var(--panel))`).domain([0, 1]).clamp(true),
    [],
  );

  // Rendered only when the data change: a parent re-rendering during training skips the 400 cells.
  const content = useMemo(() => {
    const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0));
    const total = rowTotals.reduce((a, b) => a + b, 0);
    const correct = cells.reduce((a, r, i) => a + (r[i] ?? 0), 0);

    if (n === 0 || total === 0) return null;
    const vertical = n > 6 || names.some((l) => l.length > 10);
    const cellSize = vertical ? (n > 12 ? '2.4rem' : '3rem') : '4.2rem';

    return (
      <div className="confusion" data-testid="confusion-matrix" style={{ '--cm-cell': cellSize } as CSSProperties}>
        <div className="confusion__scroller">
          <table className="confusion__table">
            <caption className="confusion__caption">
              Accuracy {fmtPct1(correct / total)} ({fmtCount(correct)} of {fmtCount(total)}). Rows: true label; columns: predicted label; shade: share
              of the row.
            </caption>
            <thead>
              <tr>
                <td className="confusion__corner" colSpan={2} rowSpan={2} />
                <th scope="colgroup" colSpan={n} className="confusion__axis-title">
                  Predicted
                </th>
                <td />
              </tr>
              <tr>
                {names.map((name, j) => (
                  <th key={j} scope="col" className={vertical ? 'confusion__col confusion__col--vertical' : 'confusion__col'} title={name}>
                    <span className="confusion__label">{name}</span>
                  </th>
                ))}
                <th scope="col" className="confusion__col confusion__recall-head" title="Recall: correct predictions / examples of the true label">
                  <span className="confusion__label">Recall</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cells.map((row, i) => (
                <tr key={i}>
                  {i === 0 && (
                    <th scope="rowgroup" rowSpan={n} className="confusion__axis-title confusion__axis-title--rows">
                      <span>True</span>
                    </th>
                  )}
                  <th scope="row" className="confusion__row" title={names[i]}>
                    <span className="confusion__label">{names[i]}</span>
                  </th>
                  {row.map((count, j) => {
                    const share = rowTotals[i]! > 0 ? count / rowTotals[i]! : 0;
                    const style: CSSProperties = { background: shade(share), color: share > 0.5 ? 'var(--panel)' : undefined };
                    return (
                      <td
                        key={j}
                        className={i === j ? 'confusion__cell confusion__cell--diagonal' : 'confusion__cell'}
                        style={style}
                        title={`true ${names[i]}, predicted ${names[j]}: ${fmtCount(count)} (${fmtPct1(share)} of the row)`}
                      >
                        {count === 0 ? <span className="confusion__zero">0</span> : fmtCount(count)}
                      </td>
                    );
                  })}
                  <td className="confusion__recall" title={`recall of ${names[i]}`}>
                    {Number.isFinite(recalls[i]) ? fmtPct(recalls[i]!) : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    );
  }, [cells, names, recalls, shade, n]);

  if (content === null) {
    return (
      <div className="confusion" data-testid="confusion-matrix">
        <p className="charts-empty">No evaluation yet</p>
      </div>
    );
  }

  return content;
}
