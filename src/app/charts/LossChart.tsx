import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { focusMarkers, readoutAt, tooltipPosition } from './loss/cursorModel';
import { drawCursor, drawLossChart } from './loss/drawLossChart';
import { drawableBaselines, type ChartBaseline } from './loss/baselines';
import { LatestValuesTable } from './loss/LatestValuesTable';
import { LineKey, SeriesLegend } from './loss/LossChartKey';
import { buildLossChartModel, countTrainPoints, prepareSeries, summarise, type LossSeries } from './loss/lossChartModel';
import { ReadoutTooltip } from './loss/ReadoutTooltip';
import { useChartCursor } from './loss/useChartCursor';
import { useElementWidth } from './useElementWidth';
import './chartsShared.css';
import './LossChart.css';

export type { ChartBaseline, LossSeries };

export interface LossChartProps {
  series: LossSeries[];
  /** Height of the plot in CSS pixels (the toolbar comes on top). */
  height?: number;
  /**
   * Reference accuracies drawn as dashed horizontal lines on the accuracy axis, each with its
   * label (e.g. the majority class), also in the key and the hover read-out.
   */
  baselines?: readonly ChartBaseline[];
}

const NO_BASELINES: readonly ChartBaseline[] = [];

/**
 * Training loss (raw and smoothed), validation loss and accuracy (a text task: exact match and F1)
 * of one or more runs against the step, updated live. D3 draws into the <svg> React owns; hover or arrow keys show a read-out.
 * The parts live in ./loss: the model (pure), the drawing, the cursor and the tables.
 */
export function LossChart({ series, height = 300, baselines = NO_BASELINES }: LossChartProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const width = useElementWidth(rootRef, 640);
  const [logScale, setLogScale] = useState(false);
  const toggleId = useId();
  const readoutId = useId();

  const prepared = useMemo(() => prepareSeries(series), [series]);
  const totalPoints = useMemo(() => countTrainPoints(prepared), [prepared]);
  const drawn = useMemo(() => drawableBaselines(baselines), [baselines]);
  const model = useMemo(() => buildLossChartModel(prepared, width, height, logScale, drawn), [prepared, width, height, logScale, drawn]);
  const cursor = useChartCursor(prepared, model);
  const readout = useMemo(() => (cursor.step === null ? [] : readoutAt(prepared, cursor.step)), [prepared, cursor.step]);

  useEffect(() => {
    if (svgRef.current && model) drawLossChart(svgRef.current, model, cursor.pointer);
  }, [model, cursor.pointer]);
  useEffect(() => {
    if (svgRef.current && model) drawCursor(svgRef.current, model, focusMarkers(model, readout), cursor.step);
  }, [cursor.step, readout, model]);

  const multi = prepared.length > 1;
  return (
    <div className={multi ? 'loss-chart loss-chart--multi' : 'loss-chart'} ref={rootRef} data-testid="loss-chart" data-points={totalPoints}>
      <div className="loss-chart__toolbar">
        {multi ? <SeriesLegend series={prepared} /> : <span />}
        <div className="loss-chart__controls">
          {model && <LineKey baselines={drawn} text={model.text} />}
          <label className="loss-chart__toggle" htmlFor={toggleId}>
            <input id={toggleId} type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} />
            Log scale
          </label>
        </div>
      </div>
      {!model ? (
        <p className="charts-empty" style={{ minHeight: Math.max(0, height - 48) }}>
          No training yet
        </p>
      ) : (
        <div
          className="loss-chart__plot-area"
          tabIndex={0}
          aria-label="Loss read-out: use the left and right arrow keys to move between steps"
          aria-describedby={readoutId}
          {...cursor.areaProps}
        >
          <svg ref={svgRef} width={model.width} height={model.height} role="img" aria-label={summarise(prepared, drawn)} className="loss-chart__svg" />
          {cursor.step !== null && readout.length > 0 && (
            <ReadoutTooltip
              id={readoutId}
              step={cursor.step}
              rows={readout}
              multi={multi}
              baselines={drawn}
              style={tooltipPosition(model, cursor.step)}
              announce={cursor.fromKeyboard}
              text={model.text}
            />
          )}
        </div>
      )}
      {model && <LatestValuesTable series={prepared} />}
    </div>
  );
}
