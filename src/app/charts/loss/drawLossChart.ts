/**
 * Puts a LossChartModel into the <svg> React owns. D3 joins create the elements once and update
 * them on every report, so a live run does not rebuild the chart (and tests can hold on to nodes).
 */
import { axisBottom, axisLeft, axisRight, line, pointer, select, type Selection } from 'd3';
import type { BaselineGeometry } from './baselines';
import { MARGIN, type LossChartModel, type PlotPoint, type SeriesGeometry } from './lossChartModel';
import type { FocusMarker } from './cursorModel';
import { joinGroups } from '../joinGroups';

/** What the transparent overlay reports: the pointer's x in plot pixels, and leaving the plot. */
export interface PointerHandlers {
  move(px: number): void;
  leave(): void;
}

const plotPath = line<PlotPoint>()
  .defined((p) => p.defined)
  .x((p) => p.x)
  .y((p) => p.y);

/** Selects the child element of `parent` with class `cls`, creating it when missing. */
function ensure<P extends SVGElement, K extends keyof SVGElementTagNameMap>(
  parent: Selection<P, unknown, null, undefined>,
  tag: K,
  cls: string,
): Selection<SVGElementTagNameMap[K], unknown, null, undefined> {
  const found = parent.select<SVGElementTagNameMap[K]>(`:scope > .${cls.trim().split(/\s+/).join('.')}`);
  if (!found.empty()) return found;
  return parent.append<SVGElementTagNameMap[K]>(tag).attr('class', cls);
}

export function drawLossChart(svgEl: SVGSVGElement, model: LossChartModel, handlers: PointerHandlers): void {
  const { x, y, acc, innerWidth, innerHeight } = model;
  const svg = select<SVGElement, unknown>(svgEl);
  // Created in this order once: later groups paint over earlier ones, the overlay last to catch the pointer.
  const plot = ensure(svg, 'g', 'loss-chart__plot').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const grid = ensure(plot, 'g', 'loss-chart__grid');
  const xAxis = ensure(plot, 'g', 'loss-chart__axis loss-chart__axis--x');
  const yAxis = ensure(plot, 'g', 'loss-chart__axis loss-chart__axis--y');
  const accAxis = ensure(plot, 'g', 'loss-chart__axis loss-chart__axis--acc');
  const baselineLayer = ensure(plot, 'g', 'loss-chart__baselines');
  const layer = ensure(plot, 'g', 'loss-chart__layer');
  ensure(plot, 'line', 'loss-chart__rule');
  ensure(plot, 'g', 'loss-chart__focus');
  const overlay = ensure(plot, 'rect', 'loss-chart__overlay');

  grid
    .selectAll<SVGLineElement, number>('line')
    .data(model.gridTicks)
    .join('line')
    .attr('x1', 0)
    .attr('x2', innerWidth)
    .attr('y1', (d) => y(d))
    .attr('y2', (d) => y(d));

  xAxis.attr('transform', `translate(0,${innerHeight})`).call(axisBottom(x).ticks(model.xTickCount, ',d'));
  yAxis.call(axisLeft(y).ticks(model.yTickCount).tickFormat((d) => model.yTickFormat(d as number)));
  accAxis
    .attr('transform', `translate(${innerWidth},0)`)
    .style('display', model.showAccuracyAxis ? '' : 'none')
    .call(axisRight(acc).ticks(5, '.0%'));

  plot
    .selectAll<SVGTextElement, LossChartModel['titles'][number]>('text.loss-chart__title')
    .data(model.titles, (d) => d.cls)
    .join('text')
    .attr('class', 'loss-chart__title')
    .attr('text-anchor', 'middle')
    .attr('transform', (d) => d.transform)
    .style('display', (d) => (d.show ? null : 'none'))
    .text((d) => d.text);

  // Under the series, so a run's accuracy line is never hidden behind a reference line.
  const baselines = joinGroups(baselineLayer, 'loss-chart__baseline', model.baselines, (b: BaselineGeometry) => b.key, [
    ['line', 'loss-chart__baseline-line'],
    ['text', 'loss-chart__baseline-label'],
  ]).attr('data-value', (b) => b.value);
  baselines.select('line').attr('x1', 0).attr('x2', innerWidth).attr('y1', (b) => b.y).attr('y2', (b) => b.y);
  baselines
    .select('text')
    .attr('x', innerWidth - 4)
    .attr('y', (b) => b.labelY)
    .attr('text-anchor', 'end')
    .text((b) => b.label);

  // Paint order: raw underneath, the smoothed line on top of everything.
  const groups = joinGroups(layer, 'loss-chart__series', model.series, (d: SeriesGeometry) => d.key, [
    ['path', 'loss-chart__raw'],
    ['path', 'loss-chart__acc'],
    ['path', 'loss-chart__f1'],
    ['path', 'loss-chart__val'],
    ['g', 'loss-chart__dots'],
    ['path', 'loss-chart__smooth'],
  ]).style('--series-color', (d) => d.color);

  groups.each(function (s) {
    const g = select(this);
    g.select('path.loss-chart__raw').attr('d', plotPath(s.raw) ?? '');
    g.select('path.loss-chart__smooth').attr('d', plotPath(s.smooth) ?? '');
    g.select('path.loss-chart__val').attr('d', plotPath(s.validation) ?? '');
    g.select<SVGGElement>('g.loss-chart__dots')
      .selectAll<SVGCircleElement, PlotPoint>('circle')
      .data(s.validation, (p) => p.step)
      .join('circle')
      .attr('r', 3)
      .attr('cx', (p) => p.x)
      .attr('cy', (p) => p.y);
    g.select('path.loss-chart__acc').attr('d', plotPath(s.accuracy) ?? '');
    g.select('path.loss-chart__f1').attr('d', plotPath(s.f1) ?? '');
  });

  overlay
    .attr('width', innerWidth)
    .attr('height', innerHeight)
    .on('pointermove', (event: PointerEvent) => handlers.move(pointer(event)[0]))
    .on('pointerleave', () => handlers.leave());
}

/** The hover rule and the markers: only these move with the pointer, so hovering redraws nothing else. */
export function drawCursor(svgEl: SVGSVGElement, model: LossChartModel, markers: FocusMarker[], step: number | null): void {
  const svg = select(svgEl);
  svg
    .select<SVGGElement>('g.loss-chart__focus')
    .selectAll<SVGCircleElement, FocusMarker>('circle')
    .data(step === null ? [] : markers, (m) => m.key)
    .join('circle')
    .attr('r', 3.5)
    .attr('cx', (m) => m.x)
    .attr('cy', (m) => m.y)
    .style('--series-color', (m) => m.color);
  const rule = svg.select<SVGLineElement>('line.loss-chart__rule');
  if (step === null) {
    rule.style('display', 'none');
    return;
  }
  const px = model.x(step);
  rule.style('display', '').attr('x1', px).attr('x2', px).attr('y1', 0).attr('y2', model.innerHeight);
}
