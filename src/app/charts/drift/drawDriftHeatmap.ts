/** Puts a DriftHeatmapModel into the <svg> React owns: cells joined by (panel, token, column), the current column outlined. */
import { select } from 'd3';
import { joinGroups } from '../joinGroups';
import type { DriftCell, DriftHeatmapModel, DriftPanel } from './driftModel';

export function drawDriftHeatmap(svgEl: SVGSVGElement, model: DriftHeatmapModel): void {
  const svg = select(svgEl);
  const panels = joinGroups(svg, 'drift__panel', model.panels, (p: DriftPanel) => p.key, [
    ['text', 'drift__title'],
    ['g', 'drift__cells'],
    ['rect', 'drift__current'],
    ['text', 'drift__step drift__step--first'],
    ['text', 'drift__step drift__step--last'],
  ]);
  panels.select('text.drift__step--last').attr('text-anchor', 'end');
  panels.select('text.drift__title').attr('x', (p) => p.x0).attr('y', 12).text((p) => `${p.title} (${p.domain[0].toFixed(2)} → ${p.domain[1].toFixed(2)})`);
  panels.each(function (p) {
    select(this)
      .select('g.drift__cells')
      .selectAll<SVGRectElement, DriftCell>('rect')
      .data(p.cells, (c) => `${c.token}:${c.column}`)
      .join('rect')
      .attr('x', (c) => c.x)
      .attr('y', (c) => c.y)
      .attr('width', (c) => Math.max(1, c.w - (c.w > 4 ? 1 : 0)))
      .attr('height', (c) => Math.max(1, c.h - (c.h > 4 ? 1 : 0)))
      .attr('fill', (c) => c.fill);
  });
  const bottom = model.top + model.tokens * model.cellHeight + 13;
  panels.select('text.drift__step--first').attr('x', (p) => p.x0).attr('y', bottom).text(`step ${model.stepRange[0]}`);
  panels.select('text.drift__step--last').attr('x', (p) => p.x0 + model.panelWidth).attr('y', bottom).text(`step ${model.stepRange[1]}`);
  const w = model.panelWidth / model.columns;
  panels
    .select('rect.drift__current')
    .attr('x', (p) => p.x0 + model.current * w)
    .attr('y', model.top - 1)
    .attr('width', Math.max(2, w))
    .attr('height', model.tokens * model.cellHeight + 2);
  svg
    .selectAll<SVGTextElement, number>('text.drift__row')
    .data(model.tokens <= 30 ? Array.from({ length: model.tokens }, (_, i) => i) : [0, model.tokens - 1])
    .join('text')
    .attr('class', 'drift__row')
    .attr('x', model.left - 4)
    .attr('y', (i) => model.top + (i + 0.5) * model.cellHeight + 3)
    .attr('text-anchor', 'end')
    .text((i) => `P${i + 1}`);
}
