import { accuracyName, hasF1, latestValues, type PreparedSeries } from './lossChartModel';
import { fmtAcc, fmtLoss } from './lossFormat';

/** The latest values per series for screen readers (the chart itself is one image to them). */
export function LatestValuesTable({ series }: { series: PreparedSeries[] }) {
  const text = hasF1(series);
  const metric = accuracyName(text);
  return (
    <table className="charts-sr-only">
      <caption>Latest values per series</caption>
      <thead>
        <tr>
          <th scope="col">series</th>
          <th scope="col">last step</th>
          <th scope="col">smoothed loss</th>
          <th scope="col">validation loss</th>
          <th scope="col">validation {metric}</th>
          {text && <th scope="col">validation F1</th>}
          <th scope="col">best validation {metric}</th>
        </tr>
      </thead>
      <tbody>
        {series.map((s) => {
          const { lastStep, smoothed, val, bestAccuracy } = latestValues(s);
          return (
            <tr key={s.key}>
              <th scope="row">{s.name}</th>
              <td>{lastStep ?? '–'}</td>
              <td>{smoothed === undefined ? '–' : fmtLoss(smoothed)}</td>
              <td>{val ? fmtLoss(val.loss) : '–'}</td>
              <td data-testid="latest-validation-accuracy" data-value={val?.accuracy}>
                {val ? fmtAcc(val.accuracy) : '–'}
              </td>
              {text && (
                <td data-testid="latest-validation-f1" data-value={val?.f1}>
                  {val?.f1 === undefined ? '–' : fmtAcc(val.f1)}
                </td>
              )}
              <td>{bestAccuracy === undefined ? '–' : fmtAcc(bestAccuracy)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
