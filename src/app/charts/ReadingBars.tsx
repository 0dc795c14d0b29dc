import type { ExampleReading } from '../../core/interpret/exampleReading';
import './chartsShared.css';
import './ReadingBars.css';

export interface ReadingBarsProps {
  reading: ExampleReading;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * What the model reads of one example: per encoder layer, the share of self-attention on the
 * prompt against the share uniform attention would give; per prompt token, its importance (the
 * drop in the predicted label's log-probability when the token is removed) as a diverging bar.
 */
export function ReadingBars({ reading }: ReadingBarsProps) {
  const maxImportance = Math.max(1e-9, ...reading.importance.map(Math.abs));
  const uniform = reading.attention.uniformShare;
  return (
    <div className="reading" data-testid="example-reading">
      <p className="reading__verdict">
        Predicted <strong>{reading.labels[reading.predicted]}</strong> (log-probability {reading.labelScores[reading.predicted]!.toFixed(3)}
        {reading.labels.length > 1 && `; ${reading.labels.filter((_, i) => i !== reading.predicted).map((l) => `${l} ${reading.labelScores[reading.labels.indexOf(l)]!.toFixed(3)}`).join(', ')}`}).
      </p>
      <h4>Encoder self-attention on the prompt, by layer</h4>
      <table className="reading__bars" data-testid="attention-shares">
        <caption className="charts-sr-only">Share of attention on the prompt positions per layer; uniform attention would give {pct(uniform)}</caption>
        <tbody>
          {reading.attention.layers.map((l) => (
            <tr key={l.layer}>
              <th scope="row">layer {l.layer + 1}</th>
              <td className="reading__track">
                <span className="reading__bar" style={{ width: pct(Math.min(1, l.share)) }} />
                <span className="reading__uniform" style={{ left: pct(uniform) }} title={`uniform: ${pct(uniform)}`} />
              </td>
              <td className="reading__num">
                {pct(l.share)} <span className="reading__muted">(from the text: {pct(l.fromText)})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="reading__note">
        The mark is what uniform attention would give ({reading.attention.promptLength} prompt tokens of {reading.attention.promptLength + reading.attention.textLength}).
      </p>
      <h4>Prompt token importance for “{reading.labels[reading.predicted]}”</h4>
      <table className="reading__bars reading__bars--diverging" data-testid="token-importance">
        <caption className="charts-sr-only">Drop in the predicted label's log-probability when each prompt token is removed</caption>
        <tbody>
          {reading.importance.map((x, i) => (
            <tr key={i}>
              <th scope="row">P{i + 1}</th>
              <td className="reading__track reading__track--diverging">
                <span className={x >= 0 ? 'reading__bar reading__bar--up' : 'reading__bar reading__bar--down'} style={{ width: `${(50 * Math.abs(x)) / maxImportance}%`, [x >= 0 ? 'left' : 'right']: '50%' }} />
              </td>
              <td className="reading__num">
                {x >= 0 ? '+' : ''}
                {x.toFixed(4)}
                {reading.predictedWithout[i] !== reading.predicted && <span className="reading__flip"> without it: {reading.labels[reading.predictedWithout[i]!]}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
