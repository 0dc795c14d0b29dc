import type { CSSProperties } from 'react';
import { describeBaseline, type ChartBaseline } from './baselines';
import type { ReadoutRow } from './cursorModel';
import { fmtAcc, fmtLoss, fmtStep } from './lossFormat';

interface ReadoutTooltipProps {
  id: string;
  step: number;
  rows: ReadoutRow[];
  /** The series column, only for an ensemble. */
  multi: boolean;
  /** Reference accuracies, listed under the values. */
  baselines?: readonly ChartBaseline[];
  style?: CSSProperties;
  /** Announce keyboard moves; pointer moves would flood a screen reader. */
  announce: boolean;
  /** A text task: exact match and F1 instead of accuracy. */
  text?: boolean;
}

/** The values of every series at the cursor's step. */
export function ReadoutTooltip({ id, step, rows, multi, baselines = [], style, announce, text = false }: ReadoutTooltipProps) {
  return (
    <div className="loss-chart__tooltip" id={id} style={style} aria-live={announce ? 'polite' : 'off'}>
      <div className="loss-chart__tooltip-step">step {fmtStep(step)}</div>
      <table>
        <thead>
          <tr>
            {multi && <th scope="col">series</th>}
            <th scope="col">smoothed</th>
            <th scope="col">raw</th>
            <th scope="col">val loss</th>
            <th scope="col">{text ? 'val EM' : 'val acc'}</th>
            {text && <th scope="col">val F1</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} style={{ '--series-color': r.color } as CSSProperties}>
              {multi && (
                <th scope="row">
                  <span className="loss-chart__swatch" aria-hidden="true" />
                  {r.name}
                </th>
              )}
              <td>{r.smoothed === undefined ? '–' : fmtLoss(r.smoothed)}</td>
              <td>{r.raw === undefined ? '–' : fmtLoss(r.raw)}</td>
              <td title={r.val ? `validation at step ${r.val.step}` : undefined}>
                {r.val ? fmtLoss(r.val.loss) : '–'}
                {/* Validation runs every few steps: say which one is shown when it is not the cursor's. */}
                {r.val && r.val.step !== step && <span className="loss-chart__at"> @{fmtStep(r.val.step)}</span>}
              </td>
              <td>{r.val ? fmtAcc(r.val.accuracy) : '–'}</td>
              {text && <td>{r.val?.f1 === undefined ? '–' : fmtAcc(r.val.f1)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {baselines.map((b, i) => (
        <div key={i} className="loss-chart__tooltip-baseline" data-testid="readout-baseline">
          {describeBaseline(b)}
        </div>
      ))}
    </div>
  );
}
