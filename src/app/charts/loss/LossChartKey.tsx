import type { CSSProperties } from 'react';
import type { ChartBaseline } from './baselines';
import type { PreparedSeries } from './lossChartModel';

/** The series names of an ensemble, each with its colour. */
export function SeriesLegend({ series }: { series: PreparedSeries[] }) {
  return (
    <ul className="loss-chart__legend" aria-label="Series">
      {series.map((s) => (
        <li key={s.key} className="loss-chart__legend-item" style={{ '--series-color': s.color } as CSSProperties}>
          <span className="loss-chart__swatch" aria-hidden="true" />
          {s.name}
        </li>
      ))}
    </ul>
  );
}

/** The line styles; `line` names the CSS class (loss-chart__key-<line>) that draws each sample. */
const KEY_ITEMS = [
  { label: 'smoothed', line: 'smooth', dot: false },
  { label: 'raw', line: 'raw', dot: false },
  { label: 'val loss', line: 'val', dot: true },
  { label: 'val acc', line: 'acc', dot: false },
];

/** A text task's: exact match where classification has accuracy, and F1 beside it. */
const TEXT_KEY_ITEMS = [...KEY_ITEMS.slice(0, 3), { label: 'val EM', line: 'acc', dot: false }, { label: 'val F1', line: 'f1', dot: false }];

/** Which line is which, the baselines by name. Hidden from screen readers: the summary and tables say the same in words. */
export function LineKey({ baselines = [], text = false }: { baselines?: readonly ChartBaseline[]; text?: boolean }) {
  return (
    <span className="loss-chart__key" aria-hidden="true">
      {(text ? TEXT_KEY_ITEMS : KEY_ITEMS).map((item) => (
        <span key={item.line} className="loss-chart__key-item">
          <svg width="18" height="8">
            <line x1="0" y1="4" x2="18" y2="4" className={`loss-chart__key-${item.line}`} />
            {item.dot && <circle cx="9" cy="4" r="2.5" className="loss-chart__key-dot" />}
          </svg>
          {item.label}
        </span>
      ))}
      {baselines.map((b, i) => (
        <span key={`baseline-${i}`} className="loss-chart__key-item" data-testid="key-baseline">
          <svg width="18" height="8">
            <line x1="0" y1="4" x2="18" y2="4" className="loss-chart__key-baseline" />
          </svg>
          {b.label}
        </span>
      ))}
    </span>
  );
}
