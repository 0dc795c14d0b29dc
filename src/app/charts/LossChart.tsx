import * as d3 from 'd3';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { minMaxDecimate, nearestIndex, smoothEma } from './chartUtils';
import { useElementWidth } from './useElementWidth';
import './chartsShared.css';
import './LossChart.css';

export interface LossSeries {
  name: string;
  train: Array<{ step: number; loss: number }>;
  validation: Array<{ step: number; loss: number; accuracy: number }>;
}

export interface LossChartProps {
  series: LossSeries[];
  /** Height of the plot in CSS pixels (the toolbar comes on top). */
  height?: number;
}

/** TensorBoard's default smoothing weight. */
const SMOOTHING = 0.9;
const MARGIN = { top: 12, right: 56, bottom: 36, left: 60 };

type TrainPoint = LossSeries['train'][number];
type ValPoint = LossSeries['validation'][number];

interface PreparedSeries {
  key: string;
  name: string;
  color: string;
  train: TrainPoint[];
  trainSteps: number[];
  smoothed: number[];
  validation: ValPoint[];
  valSteps: number[];
}

interface Layout {
  width: number;
  height: number;
  innerWidth: number;
  innerHeight: number;
  x: d3.ScaleLinear<number, number>;
  y: d3.ScaleContinuousNumeric<number, number>;
  acc: d3.ScaleLinear<number, number>;
  log: boolean;
  hasValidation: boolean;
}

const fmtFixed = d3.format('.3f');
const fmtBig = d3.format(',.1f');
const fmtTiny = d3.format('.2~e');
function fmtLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return fmtBig(v);
  if (a >= 0.01 || a === 0) return fmtFixed(v);
  return fmtTiny(v);
}
const fmtAcc = d3.format('.1%');
const fmtStep = d3.format(',d');

function sortedByStep<T extends { step: number }>(points: T[]): T[] {
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.step < points[i - 1]!.step) return [...points].sort((a, b) => a.step - b.step);
  }
  return points;
}

function prepare(series: LossSeries[]): PreparedSeries[] {
  return series.map((s, i) => {
    const train = sortedByStep(s.train);
    const validation = sortedByStep(s.validation);
    return {
      key: `${i}:${s.name}`,
      name: s.name,
      // One series takes the theme's accent colour; an ensemble gets distinct categorical colours.
      color: series.length === 1 ? 'var(--accent)' : d3.schemeTableau10[i % 10]!,
      train,
      trainSteps: train.map((p) => p.step),
      smoothed: smoothEma(
        train.map((p) => p.loss),
        SMOOTHING,
      ),
      validation,
      valSteps: validation.map((p) => p.step),
    };
  });
}

function usable(v: number, log: boolean): boolean {
  return Number.isFinite(v) && (!log || v > 0);
}

function computeLayout(prepared: PreparedSeries[], width: number, height: number, logRequested: boolean): Layout | null {
  let minStep = Infinity;
  let maxStep = -Infinity;
  let minLoss = Infinity;
  let maxLoss = -Infinity;
  let minPositive = Infinity;
  let hasValidation = false;
  const visit = (step: number, loss: number) => {
    if (step < minStep) minStep = step;
    if (step > maxStep) maxStep = step;
    if (!Number.isFinite(loss)) return;
    if (loss < minLoss) minLoss = loss;
    if (loss > maxLoss) maxLoss = loss;
    if (loss > 0 && loss < minPositive) minPositive = loss;
  };
  for (const s of prepared) {
    for (const p of s.train) visit(p.step, p.loss);
    for (const p of s.validation) {
      visit(p.step, p.loss);
      hasValidation = true;
    }
  }
  if (!Number.isFinite(minStep)) return null;
  const innerWidth = Math.max(40, width - MARGIN.left - MARGIN.right);
  const innerHeight = Math.max(40, height - MARGIN.top - MARGIN.bottom);
  if (maxStep === minStep) {
    minStep -= 1;
    maxStep += 1;
  }
  const x = d3.scaleLinear().domain([minStep, maxStep]).range([0, innerWidth]);
  // A log axis needs positive losses; without any it falls back to linear.
  const log = logRequested && Number.isFinite(minPositive);
  let y: d3.ScaleContinuousNumeric<number, number>;
  if (log) {
    const hi = Math.max(maxLoss, minPositive);
    y = d3
      .scaleLog()
      .domain(hi / minPositive < 1.5 ? [minPositive / 1.2, hi * 1.2] : [minPositive, hi])
      .range([innerHeight, 0])
      .nice();
  } else {
    if (!Number.isFinite(minLoss)) {
      minLoss = 0;
      maxLoss = 1;
    }
    const lo = Math.min(0, minLoss);
    const hi = maxLoss > lo ? maxLoss : lo + 1;
    y = d3.scaleLinear().domain([lo, hi]).range([innerHeight, 0]).nice();
  }
  const acc = d3.scaleLinear().domain([0, 1]).range([innerHeight, 0]);
  return { width, height, innerWidth, innerHeight, x, y, acc, log, hasValidation };
}

/** Selects the child element of `parent` with class `cls`, creating it when missing. */
function ensure<P extends SVGElement, K extends keyof SVGElementTagNameMap>(
  parent: d3.Selection<P, unknown, null, undefined>,
  tag: K,
  cls: string,
): d3.Selection<SVGElementTagNameMap[K], unknown, null, undefined> {
  const found = parent.select<SVGElementTagNameMap[K]>(`:scope > .${cls.trim().split(/\s+/).join('.')}`);
  if (!found.empty()) return found;
  return parent.append<SVGElementTagNameMap[K]>(tag).attr('class', cls);
}

function summarise(prepared: PreparedSeries[], totalPoints: number): string {
  if (totalPoints === 0 && prepared.every((s) => s.validation.length === 0)) return 'Loss chart: no training yet.';
  const parts = prepared.map((s) => {
    const bits: string[] = [];
    const last = s.train.length - 1;
    if (last >= 0) bits.push(`step ${s.train[last]!.step}, smoothed training loss ${fmtLoss(s.smoothed[last]!)}`);
    const v = s.validation[s.validation.length - 1];
    if (v) bits.push(`validation loss ${fmtLoss(v.loss)}, accuracy ${fmtAcc(v.accuracy)}`);
    return `${prepared.length > 1 ? `${s.name}: ` : ''}${bits.join('; ')}`;
  });
  return `Loss chart, ${prepared.length} series, ${totalPoints} training points. ${parts.join('. ')}.`;
}

interface ReadoutRow {
  key: string;
  name: string;
  color: string;
  raw?: number;
  smoothed?: number;
  trainStep?: number;
  val?: ValPoint;
}

/**
 * Training loss (raw and smoothed), validation loss and accuracy of one or more runs against the
 * step, updated live. D3 draws into the <svg> React owns; hover or arrow keys show a read-out.
 */
export function LossChart({ series, height = 300 }: LossChartProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const width = useElementWidth(rootRef, 640);
  const [logScale, setLogScale] = useState(false);
  const [hover, setHover] = useState<{ step: number; fromKeyboard: boolean } | null>(null);
  const toggleId = useId();
  const readoutId = useId();

  const prepared = useMemo(() => prepare(series), [series]);
  const totalPoints = useMemo(() => prepared.reduce((n, s) => n + s.train.length, 0), [prepared]);
  // Every step with data, sorted: built only when hover or the keyboard needs it.
  const stepsCache = useRef<{ of: PreparedSeries[]; steps: Float64Array } | null>(null);
  const getAllSteps = useCallback((): Float64Array => {
    if (stepsCache.current?.of !== prepared) {
      const set = new Set<number>();
      for (const s of prepared) {
        for (const st of s.trainSteps) set.add(st);
        for (const st of s.valSteps) set.add(st);
      }
      stepsCache.current = { of: prepared, steps: Float64Array.from(set).sort() };
    }
    return stepsCache.current.steps;
  }, [prepared]);
  const layout = useMemo(() => computeLayout(prepared, width, height, logScale), [prepared, width, height, logScale]);

  const snap = useCallback(
    (step: number): number | null => {
      const allSteps = getAllSteps();
      const i = nearestIndex(allSteps, step);
      return i < 0 ? null : allSteps[i]!;
    },
    [getAllSteps],
  );

  // Draw (and redraw on every data change) with D3 joins: elements are created once and updated.
  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl || !layout) return;
    const { x, y, acc, innerWidth, innerHeight, log } = layout;
    const svg = d3.select<SVGElement, unknown>(svgEl);
    const plot = ensure(svg, 'g', 'loss-chart__plot').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
    const grid = ensure(plot, 'g', 'loss-chart__grid');
    const xAxis = ensure(plot, 'g', 'loss-chart__axis loss-chart__axis--x');
    const yAxis = ensure(plot, 'g', 'loss-chart__axis loss-chart__axis--y');
    const accAxis = ensure(plot, 'g', 'loss-chart__axis loss-chart__axis--acc');
    const layer = ensure(plot, 'g', 'loss-chart__layer');
    ensure(plot, 'line', 'loss-chart__rule');
    ensure(plot, 'g', 'loss-chart__focus');
    const overlay = ensure(plot, 'rect', 'loss-chart__overlay');

    const yTicks = log ? Math.max(2, Math.round(innerHeight / 50)) : Math.max(2, Math.round(innerHeight / 45));
    const yFormat = log ? y.tickFormat(yTicks, '.2~g') : y.tickFormat(yTicks);
    grid
      .selectAll<SVGLineElement, number>('line')
      // On a log axis, grid lines only where a tick is labelled (not at every minor tick).
      .data(log ? y.ticks(yTicks).filter((t) => yFormat(t) !== '') : y.ticks(yTicks))
      .join('line')
      .attr('x1', 0)
      .attr('x2', innerWidth)
      .attr('y1', (d) => y(d))
      .attr('y2', (d) => y(d));

    xAxis.attr('transform', `translate(0,${innerHeight})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.round(innerWidth / 90)), ',d'));
    yAxis.call(d3.axisLeft(y).ticks(yTicks).tickFormat((d) => yFormat(d as number)));
    accAxis
      .attr('transform', `translate(${innerWidth},0)`)
      .style('display', layout.hasValidation ? '' : 'none')
      .call(d3.axisRight(acc).ticks(5, '.0%'));

    const titles = [
      { cls: 'x', text: 'step', transform: `translate(${innerWidth / 2},${innerHeight + 30})`, show: true },
      { cls: 'y', text: log ? 'loss (log)' : 'loss', transform: `translate(${-46},${innerHeight / 2}) rotate(-90)`, show: true },
      { cls: 'acc', text: 'validation accuracy', transform: `translate(${innerWidth + 44},${innerHeight / 2}) rotate(90)`, show: layout.hasValidation },
    ];
    plot
      .selectAll<SVGTextElement, (typeof titles)[number]>('text.loss-chart__title')
      .data(titles, (d) => d.cls)
      .join('text')
      .attr('class', 'loss-chart__title')
      .attr('text-anchor', 'middle')
      .attr('transform', (d) => d.transform)
      .style('display', (d) => (d.show ? null : 'none'))
      .text((d) => d.text);

    const groups = layer
      .selectAll<SVGGElement, PreparedSeries>('g.loss-chart__series')
      .data(prepared, (d) => d.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'loss-chart__series');
        g.append('path').attr('class', 'loss-chart__raw');
        g.append('path').attr('class', 'loss-chart__acc');
        g.append('path').attr('class', 'loss-chart__val');
        g.append('g').attr('class', 'loss-chart__dots');
        g.append('path').attr('class', 'loss-chart__smooth');
        return g;
      })
      .style('--series-color', (d) => d.color);

    groups.each(function (s) {
      const g = d3.select(this);
      const { train, smoothed, validation } = s;
      const rawIdx = minMaxDecimate(train.length, (i) => x(train[i]!.step), (i) => train[i]!.loss, innerWidth);
      const rawLine = d3
        .line<number>()
        .defined((i) => usable(train[i]!.loss, log))
        .x((i) => x(train[i]!.step))
        .y((i) => y(train[i]!.loss));
      g.select('path.loss-chart__raw').attr('d', rawLine(rawIdx) ?? '');
      const smoothIdx = minMaxDecimate(train.length, (i) => x(train[i]!.step), (i) => smoothed[i]!, innerWidth);
      const smoothLine = d3
        .line<number>()
        .defined((i) => usable(smoothed[i]!, log))
        .x((i) => x(train[i]!.step))
        .y((i) => y(smoothed[i]!));
      g.select('path.loss-chart__smooth').attr('d', smoothLine(smoothIdx) ?? '');

      const valOk = validation.filter((p) => usable(p.loss, log));
      const valLine = d3
        .line<ValPoint>()
        .x((p) => x(p.step))
        .y((p) => y(p.loss));
      g.select('path.loss-chart__val').attr('d', valLine(valOk) ?? '');
      g.select<SVGGElement>('g.loss-chart__dots')
        .selectAll<SVGCircleElement, ValPoint>('circle')
        .data(valOk, (p) => p.step)
        .join('circle')
        .attr('r', 3)
        .attr('cx', (p) => x(p.step))
        .attr('cy', (p) => y(p.loss));
      const accLine = d3
        .line<ValPoint>()
        .defined((p) => Number.isFinite(p.accuracy))
        .x((p) => x(p.step))
        .y((p) => acc(p.accuracy));
      g.select('path.loss-chart__acc').attr('d', accLine(validation) ?? '');
    });

    overlay
      .attr('width', innerWidth)
      .attr('height', innerHeight)
      .on('pointermove', (event: PointerEvent) => {
        const [px] = d3.pointer(event);
        const step = snap(x.invert(px));
        setHover(step === null ? null : { step, fromKeyboard: false });
      })
      .on('pointerleave', () => setHover((h) => (h && !h.fromKeyboard ? null : h)));
  }, [layout, prepared, snap]);

  // Forget a hovered step that no longer exists (a new run replaced the data).
  const hoverStep = hover && layout ? hover.step : null;

  const readout = useMemo((): ReadoutRow[] => {
    if (hoverStep === null) return [];
    return prepared.map((s) => {
      const row: ReadoutRow = { key: s.key, name: s.name, color: s.color };
      const ti = nearestIndex(s.trainSteps, hoverStep);
      if (ti >= 0) {
        row.trainStep = s.trainSteps[ti];
        row.raw = s.train[ti]!.loss;
        row.smoothed = s.smoothed[ti];
      }
      const vi = nearestIndex(s.valSteps, hoverStep);
      if (vi >= 0) row.val = s.validation[vi];
      return row;
    });
  }, [prepared, hoverStep]);

  // The hover rule and a marker on each smoothed line: only these move with the pointer.
  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl || !layout) return;
    const svg = d3.select(svgEl);
    const rule = svg.select<SVGLineElement>('line.loss-chart__rule');
    const markers = readout.filter((r) => r.trainStep !== undefined && r.smoothed !== undefined && usable(r.smoothed, layout.log));
    svg
      .select<SVGGElement>('g.loss-chart__focus')
      .selectAll<SVGCircleElement, ReadoutRow>('circle')
      .data(hoverStep === null ? [] : markers, (r) => r.key)
      .join('circle')
      .attr('r', 3.5)
      .attr('cx', (r) => layout.x(r.trainStep!))
      .attr('cy', (r) => layout.y(r.smoothed!))
      .style('--series-color', (r) => r.color);
    if (hoverStep === null) {
      rule.style('display', 'none');
      return;
    }
    const px = layout.x(hoverStep);
    rule.style('display', '').attr('x1', px).attr('x2', px).attr('y1', 0).attr('y2', layout.innerHeight);
  }, [hoverStep, readout, layout]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const allSteps = getAllSteps();
    if (allSteps.length === 0) return;
    const current = hoverStep === null ? allSteps.length - 1 : nearestIndex(allSteps, hoverStep);
    const page = Math.max(1, Math.round(allSteps.length / 10));
    let next: number;
    switch (e.key) {
      case 'ArrowLeft':
        next = current - 1;
        break;
      case 'ArrowRight':
        next = current + 1;
        break;
      case 'PageDown':
        next = current - page;
        break;
      case 'PageUp':
        next = current + page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = allSteps.length - 1;
        break;
      case 'Escape':
        setHover(null);
        return;
      default:
        return;
    }
    e.preventDefault();
    next = Math.min(allSteps.length - 1, Math.max(0, next));
    setHover({ step: allSteps[next]!, fromKeyboard: true });
  };

  const empty = !layout;
  const multi = prepared.length > 1;
  const summary = summarise(prepared, totalPoints);

  let tooltipStyle: CSSProperties | undefined;
  if (layout && hoverStep !== null) {
    const px = MARGIN.left + layout.x(hoverStep);
    const leftHalf = px < layout.width / 2;
    tooltipStyle = leftHalf ? { left: px + 12, top: MARGIN.top + 4 } : { right: layout.width - px + 12, top: MARGIN.top + 4 };
  }

  return (
    <div className={multi ? 'loss-chart loss-chart--multi' : 'loss-chart'} ref={rootRef} data-testid="loss-chart" data-points={totalPoints}>
      <div className="loss-chart__toolbar">
        {multi ? (
          <ul className="loss-chart__legend" aria-label="Series">
            {prepared.map((s) => (
              <li key={s.key} className="loss-chart__legend-item" style={{ '--series-color': s.color } as CSSProperties}>
                <span className="loss-chart__swatch" aria-hidden="true" />
                {s.name}
              </li>
            ))}
          </ul>
        ) : (
          <span />
        )}
        <div className="loss-chart__controls">
          {!empty && (
            <span className="loss-chart__key" aria-hidden="true">
              <span className="loss-chart__key-item">
                <svg width="18" height="8">
                  <line x1="0" y1="4" x2="18" y2="4" className="loss-chart__key-smooth" />
                </svg>
                smoothed
              </span>
              <span className="loss-chart__key-item">
                <svg width="18" height="8">
                  <line x1="0" y1="4" x2="18" y2="4" className="loss-chart__key-raw" />
                </svg>
                raw
              </span>
              <span className="loss-chart__key-item">
                <svg width="18" height="8">
                  <line x1="0" y1="4" x2="18" y2="4" className="loss-chart__key-val" />
                  <circle cx="9" cy="4" r="2.5" className="loss-chart__key-dot" />
                </svg>
                val loss
              </span>
              <span className="loss-chart__key-item">
                <svg width="18" height="8">
                  <line x1="0" y1="4" x2="18" y2="4" className="loss-chart__key-acc" />
                </svg>
                val acc
              </span>
            </span>
          )}
          <label className="loss-chart__toggle" htmlFor={toggleId}>
            <input id={toggleId} type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} />
            Log scale
          </label>
        </div>
      </div>
      {empty ? (
        <p className="charts-empty" style={{ minHeight: Math.max(0, height - 48) }}>
          No training yet
        </p>
      ) : (
        <div
          className="loss-chart__plot-area"
          tabIndex={0}
          aria-label="Loss read-out: use the left and right arrow keys to move between steps"
          aria-describedby={readoutId}
          onKeyDown={onKeyDown}
          onFocus={() => {
            const allSteps = getAllSteps();
            setHover((h) => h ?? (allSteps.length ? { step: allSteps[allSteps.length - 1]!, fromKeyboard: true } : null));
          }}
          onBlur={() => setHover(null)}
        >
          <svg ref={svgRef} width={layout.width} height={layout.height} role="img" aria-label={summary} className="loss-chart__svg" />
          {hoverStep !== null && readout.length > 0 && (
            <div
              className="loss-chart__tooltip"
              id={readoutId}
              style={tooltipStyle}
              aria-live={hover?.fromKeyboard ? 'polite' : 'off'}
            >
              <div className="loss-chart__tooltip-step">step {fmtStep(hoverStep)}</div>
              <table>
                <thead>
                  <tr>
                    {multi && <th scope="col">series</th>}
                    <th scope="col">smoothed</th>
                    <th scope="col">raw</th>
                    <th scope="col">val loss</th>
                    <th scope="col">val acc</th>
                  </tr>
                </thead>
                <tbody>
                  {readout.map((r) => (
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
                        {r.val && r.val.step !== hoverStep && <span className="loss-chart__at"> @{fmtStep(r.val.step)}</span>}
                      </td>
                      <td>{r.val ? fmtAcc(r.val.accuracy) : '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      {!empty && (
        <table className="charts-sr-only">
          <caption>Latest values per series</caption>
          <thead>
            <tr>
              <th scope="col">series</th>
              <th scope="col">last step</th>
              <th scope="col">smoothed loss</th>
              <th scope="col">validation loss</th>
              <th scope="col">validation accuracy</th>
              <th scope="col">best validation accuracy</th>
            </tr>
          </thead>
          <tbody>
            {prepared.map((s) => {
              const last = s.train.length - 1;
              const v = s.validation[s.validation.length - 1];
              const best = s.validation.reduce((m, p) => (Number.isFinite(p.accuracy) && p.accuracy > m ? p.accuracy : m), -Infinity);
              return (
                <tr key={s.key}>
                  <th scope="row">{s.name}</th>
                  <td>{last >= 0 ? s.train[last]!.step : '–'}</td>
                  <td>{last >= 0 ? fmtLoss(s.smoothed[last]!) : '–'}</td>
                  <td>{v ? fmtLoss(v.loss) : '–'}</td>
                  <td data-testid="latest-validation-accuracy" data-value={v?.accuracy}>{v ? fmtAcc(v.accuracy) : '–'}</td>
                  <td>{Number.isFinite(best) ? fmtAcc(best) : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
