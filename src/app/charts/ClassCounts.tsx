import * as d3 from 'd3';
import { useEffect, useMemo, useRef } from 'react';
import { truncate } from './chartUtils';
import { useElementWidth } from './useElementWidth';
import './chartsShared.css';
import './ClassCounts.css';

export interface ClassCount {
  label: string;
  count: number;
}

export interface ClassCountsProps {
  counts: ClassCount[];
  /** Total height in CSS pixels; by default 24 pixels a class. */
  height?: number;
}

const ROW = 24;
const MARGIN = { top: 4, right: 56, bottom: 4 };
const CHAR_PX = 7;
const fmtCount = d3.format(',d');

/** A small horizontal bar chart of examples per class, with the counts. */
export function ClassCounts({ counts, height }: ClassCountsProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const width = useElementWidth(rootRef, 320);
  const total = useMemo(() => counts.reduce((a, c) => a + (Number.isFinite(c.count) ? c.count : 0), 0), [counts]);
  const h = height ?? counts.length * ROW + MARGIN.top + MARGIN.bottom;
  const longest = counts.reduce((m, c) => Math.max(m, c.label.length), 0);
  const maxChars = Math.max(6, Math.min(22, Math.floor(width / 3 / CHAR_PX)));
  const left = Math.min(maxChars, Math.max(3, longest)) * CHAR_PX + 12;

  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl || counts.length === 0) return;
    const innerWidth = Math.max(20, width - left - MARGIN.right);
    const y = d3
      .scaleBand<number>()
      .domain(counts.map((_, i) => i))
      .range([MARGIN.top, h - MARGIN.bottom])
      .paddingInner(0.25)
      .paddingOuter(0.1);
    const x = d3
      .scaleLinear()
      .domain([0, d3.max(counts, (c) => c.count) || 1])
      .range([0, innerWidth]);
    const rows = d3
      .select(svgEl)
      .selectAll<SVGGElement, ClassCount>('g.class-counts__row')
      .data(counts)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'class-counts__row');
        g.append('title');
        g.append('text').attr('class', 'class-counts__label').attr('text-anchor', 'end').attr('dy', '0.35em');
        g.append('rect').attr('class', 'class-counts__bar').attr('rx', 2);
        g.append('text').attr('class', 'class-counts__value').attr('dy', '0.35em');
        return g;
      })
      .attr('transform', (_, i) => `translate(0,${y(i) ?? 0})`);
    const band = y.bandwidth();
    rows.select('title').text((c) => `${c.label}: ${fmtCount(c.count)} (${total > 0 ? d3.format('.1%')(c.count / total) : '0%'})`);
    rows
      .select('text.class-counts__label')
      .attr('x', left - 8)
      .attr('y', band / 2)
      .text((c) => truncate(c.label, maxChars));
    rows
      .select('rect.class-counts__bar')
      .attr('x', left)
      .attr('y', 0)
      .attr('height', band)
      .attr('width', (c) => Math.max(0, x(Math.max(0, c.count))));
    rows
      .select('text.class-counts__value')
      .attr('x', (c) => left + Math.max(0, x(Math.max(0, c.count))) + 5)
      .attr('y', band / 2)
      .text((c) => fmtCount(c.count));
  }, [counts, width, h, left, maxChars, total]);

  if (counts.length === 0) {
    return (
      <div className="class-counts" data-testid="class-counts" ref={rootRef}>
        <p className="charts-empty">No classes yet</p>
      </div>
    );
  }

  const summary = `Examples per class: ${counts.map((c) => `${c.label} ${fmtCount(c.count)}`).join(', ')}.`;
  return (
    <div className="class-counts" data-testid="class-counts" ref={rootRef}>
      <svg ref={svgRef} width={width} height={h} role="img" aria-label={summary} className="class-counts__svg" />
      <table className="charts-sr-only">
        <caption>Examples per class</caption>
        <thead>
          <tr>
            <th scope="col">class</th>
            <th scope="col">examples</th>
          </tr>
        </thead>
        <tbody>
          {counts.map((c, i) => (
            <tr key={i}>
              <th scope="row">{c.label}</th>
              <td>{c.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
