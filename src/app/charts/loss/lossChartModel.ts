/**
 * The loss chart as data: prepared series, scales, ticks, titles, pixel positions of every line and
 * dot, the hover read-out and cursor moves. No DOM and no React, so all of it is testable in Node;
 * drawLossChart.ts only puts this on the page.
 */
import { scaleLinear, scaleLog, schemeTableau10, type ScaleContinuousNumeric, type ScaleLinear } from 'd3';
import { minMaxDecimate, nearestIndex, smoothEma, type PlotFrame } from '../chartUtils';
import { accuracyDomain, describeBaseline, drawableBaselines, placeBaselines, type BaselineGeometry, type ChartBaseline } from './baselines';
import { fmtAcc, fmtLoss } from './lossFormat';

export interface LossSeries {
  name: string;
  train: Array<{ step: number; loss: number }>;
  /** A text task's points carry F1, and accuracy is then the exact match of the generated answers. */
  validation: Array<{ step: number; loss: number; accuracy: number; f1?: number }>;
}

export type TrainPoint = LossSeries['train'][number];
export type ValPoint = LossSeries['validation'][number];

/** TensorBoard's default smoothing weight. */
export const SMOOTHING = 0.9;
/** Room around the plot for the axes and their titles (the accuracy axis on the right). */
export const MARGIN = { top: 12, right: 56, bottom: 36, left: 60 };

export interface PreparedSeries {
  key: string;
  name: string;
  color: string;
  train: TrainPoint[];
  trainSteps: number[];
  smoothed: number[];
  validation: ValPoint[];
  valSteps: number[];
}

/** A point in plot pixels; `defined: false` breaks the line there (NaN, or ≤ 0 on a log axis). */
export interface PlotPoint {
  step: number;
  x: number;
  y: number;
  defined: boolean;
}

export interface SeriesGeometry {
  key: string;
  color: string;
  /** Training loss, decimated to a few points per pixel column. */
  raw: PlotPoint[];
  smooth: PlotPoint[];
  /** Validation losses that can be drawn: the line and its dots. */
  validation: PlotPoint[];
  /** Validation accuracy on the right-hand axis. */
  accuracy: PlotPoint[];
  /** A text task's validation F1 on the same axis (empty otherwise). */
  f1: PlotPoint[];
}

export interface AxisTitle {
  cls: 'x' | 'y' | 'acc';
  text: string;
  transform: string;
  show: boolean;
}

export interface LossChartModel extends PlotFrame<ScaleContinuousNumeric<number, number>> {
  acc: ScaleLinear<number, number>;
  log: boolean;
  hasValidation: boolean;
  /** The accuracy axis is drawn when there is validation accuracy or a baseline to read against it. */
  showAccuracyAxis: boolean;
  /** A text task: the accuracy axis holds exact match and F1. */
  text: boolean;
  /** Reference accuracies (e.g. the majority class) as dashed lines on the accuracy axis. */
  baselines: BaselineGeometry[];
  xTickCount: number;
  yTickCount: number;
  yTickFormat: (v: number) => string;
  /** Loss values with a horizontal grid line. */
  gridTicks: number[];
  titles: AxisTitle[];
  series: SeriesGeometry[];
}

function sortedByStep<T extends { step: number }>(points: T[]): T[] {
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.step < points[i - 1]!.step) return [...points].sort((a, b) => a.step - b.step);
  }
  return points;
}

export function prepareSeries(series: LossSeries[]): PreparedSeries[] {
  return series.map((s, i) => {
    const train = sortedByStep(s.train);
    const validation = sortedByStep(s.validation);
    return {
      key: `${i}:${s.name}`,
      name: s.name,
      // One series takes the theme's accent colour; an ensemble gets distinct categorical colours.
      color: series.length === 1 ? 'var(--accent)' : schemeTableau10[i % 10]!,
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

export function countTrainPoints(prepared: PreparedSeries[]): number {
  return prepared.reduce((n, s) => n + s.train.length, 0);
}

/** A text task's series: their validation has F1, and accuracy is the exact match. */
export function hasF1(prepared: readonly PreparedSeries[]): boolean {
  return prepared.some((s) => s.validation.some((p) => p.f1 !== undefined));
}

/** What the accuracy axis measures, in words. */
export function accuracyName(text: boolean): string {
  return text ? 'exact match' : 'accuracy';
}

/** Whether a loss can be placed on the y axis. */
export function usable(v: number, log: boolean): boolean {
  return Number.isFinite(v) && (!log || v > 0);
}

/** Null when there is nothing to plot (the empty state). */
export function buildLossChartModel(prepared: PreparedSeries[], width: number, height: number, logRequested: boolean, baselineValues: readonly ChartBaseline[] = []): LossChartModel | null {
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
  // A single step would make a zero-width domain.
  if (maxStep === minStep) {
    minStep -= 1;
    maxStep += 1;
  }
  const x = scaleLinear().domain([minStep, maxStep]).range([0, innerWidth]);
  // A log axis needs positive losses; without any it falls back to linear.
  const log = logRequested && Number.isFinite(minPositive);
  let y: ScaleContinuousNumeric<number, number>;
  if (log) {
    const hi = Math.max(maxLoss, minPositive);
    // Less than a factor 1.5 would leave a log axis with no labelled tick.
    y = scaleLog()
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
    y = scaleLinear().domain([lo, hi]).range([innerHeight, 0]).nice();
  }
  const acc = scaleLinear().domain(accuracyDomain(baselineValues)).range([innerHeight, 0]);
  const baselines = placeBaselines(baselineValues, acc);
  const showAccuracyAxis = hasValidation || baselines.length > 0;
  const text = hasF1(prepared);

  const yTickCount = log ? Math.max(2, Math.round(innerHeight / 50)) : Math.max(2, Math.round(innerHeight / 45));
  const yTickFormat = log ? y.tickFormat(yTickCount, '.2~g') : y.tickFormat(yTickCount);
  // On a log axis, grid lines only where a tick is labelled (not at every minor tick).
  const gridTicks = log ? y.ticks(yTickCount).filter((t) => yTickFormat(t) !== '') : y.ticks(yTickCount);
  const titles: AxisTitle[] = [
    { cls: 'x', text: 'step', transform: `translate(${innerWidth / 2},${innerHeight + 30})`, show: true },
    { cls: 'y', text: log ? 'loss (log)' : 'loss', transform: `translate(${-46},${innerHeight / 2}) rotate(-90)`, show: true },
    { cls: 'acc', text: text ? 'validation exact match, F1' : 'validation accuracy', transform: `translate(${innerWidth + 44},${innerHeight / 2}) rotate(90)`, show: showAccuracyAxis },
  ];

  const at = (step: number, value: number, defined: boolean): PlotPoint => ({ step, x: x(step), y: y(value), defined });
  const series = prepared.map((s): SeriesGeometry => {
    const { train, smoothed } = s;
    const rawIdx = minMaxDecimate(train.length, (i) => x(train[i]!.step), (i) => train[i]!.loss, innerWidth);
    const smoothIdx = minMaxDecimate(train.length, (i) => x(train[i]!.step), (i) => smoothed[i]!, innerWidth);
    return {
      key: s.key,
      color: s.color,
      raw: rawIdx.map((i) => at(train[i]!.step, train[i]!.loss, usable(train[i]!.loss, log))),
      smooth: smoothIdx.map((i) => at(train[i]!.step, smoothed[i]!, usable(smoothed[i]!, log))),
      validation: s.validation.filter((p) => usable(p.loss, log)).map((p) => at(p.step, p.loss, true)),
      accuracy: s.validation.map((p) => ({ step: p.step, x: x(p.step), y: acc(p.accuracy), defined: Number.isFinite(p.accuracy) })),
      f1: s.validation.filter((p) => p.f1 !== undefined).map((p) => ({ step: p.step, x: x(p.step), y: acc(p.f1!), defined: Number.isFinite(p.f1) })),
    };
  });

  return { width, height, innerWidth, innerHeight, x, y, acc, log, hasValidation, showAccuracyAxis, text, baselines, xTickCount: Math.max(2, Math.round(innerWidth / 90)), yTickCount, yTickFormat, gridTicks, titles, series };
}

export function summarise(prepared: PreparedSeries[], baselines: readonly ChartBaseline[] = []): string {
  const totalPoints = countTrainPoints(prepared);
  if (totalPoints === 0 && prepared.every((s) => s.validation.length === 0)) return 'Loss chart: no training yet.';
  const drawn = drawableBaselines(baselines);
  const reference = drawn.length ? ` Baselines: ${drawn.map(describeBaseline).join('; ')}.` : '';
  const parts = prepared.map((s) => {
    const bits: string[] = [];
    const last = s.train.length - 1;
    if (last >= 0) bits.push(`step ${s.train[last]!.step}, smoothed training loss ${fmtLoss(s.smoothed[last]!)}`);
    const v = s.validation[s.validation.length - 1];
    if (v) bits.push(`validation loss ${fmtLoss(v.loss)}, ${accuracyName(v.f1 !== undefined)} ${fmtAcc(v.accuracy)}${v.f1 === undefined ? '' : `, F1 ${fmtAcc(v.f1)}`}`);
    return `${prepared.length > 1 ? `${s.name}: ` : ''}${bits.join('; ')}`;
  });
  return `Loss chart, ${prepared.length} series, ${totalPoints} training points. ${parts.join('. ')}.${reference}`;
}

/** What the screen-reader table says about one series: its last values and best accuracy. */
export function latestValues(s: PreparedSeries): { lastStep?: number; smoothed?: number; val?: ValPoint; bestAccuracy?: number } {
  const last = s.train.length - 1;
  const best = s.validation.reduce((m, p) => (Number.isFinite(p.accuracy) && p.accuracy > m ? p.accuracy : m), -Infinity);
  return {
    lastStep: last >= 0 ? s.train[last]!.step : undefined,
    smoothed: last >= 0 ? s.smoothed[last] : undefined,
    val: s.validation[s.validation.length - 1],
    bestAccuracy: Number.isFinite(best) ? best : undefined,
  };
}
