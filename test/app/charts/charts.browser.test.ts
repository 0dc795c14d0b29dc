/** The chart components rendered into a real DOM (headless Chromium). */
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassCounts, ConfusionMatrix, LossChart, NeighboursView, type LossSeries, type NeighbourSnapshot } from '../../../src/app/charts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  host.style.width = '900px';
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

function series(n: number, name = 'a'): LossSeries {
  return {
    name,
    train: Array.from({ length: n }, (_, i) => ({ step: i + 1, loss: 2 / (1 + i / 50) })),
    validation: Array.from({ length: Math.floor(n / 100) }, (_, i) => ({ step: (i + 1) * 100, loss: 1, accuracy: 0.5 + i / 100 })),
  };
}

it('LossChart: empty state, then live growth updating the same elements', () => {
  act(() => root.render(createElement(LossChart, { series: [] })));
  const chart = host.querySelector('[data-testid=loss-chart]')!;
  expect(chart.getAttribute('data-points')).toBe('0');
  expect(chart.textContent).toContain('No training yet');

  act(() => root.render(createElement(LossChart, { series: [series(500)] })));
  expect(chart.getAttribute('data-points')).toBe('500');
  const svg = chart.querySelector('svg[role=img]')!;
  expect(svg.getAttribute('aria-label')).toMatch(/500 training points/);
  const raw = chart.querySelector('path.loss-chart__raw')!;
  expect(raw.getAttribute('d')!.length).toBeGreaterThan(100);
  expect(chart.querySelectorAll('.loss-chart__dots circle')).toHaveLength(5);

  act(() => root.render(createElement(LossChart, { series: [series(5000)] })));
  expect(chart.getAttribute('data-points')).toBe('5000');
  expect(chart.querySelector('path.loss-chart__raw')).toBe(raw); // joined, not rebuilt
  expect(chart.querySelectorAll('.loss-chart__dots circle')).toHaveLength(50);

  act(() => root.render(createElement(LossChart, { series: [series(300, 'p1'), series(300, '<b>p2</b>')] })));
  expect(chart.getAttribute('data-points')).toBe('600');
  expect(chart.querySelectorAll('.loss-chart__legend-item')).toHaveLength(2);
  expect(chart.querySelector('b')).toBeNull(); // names are text, never HTML
  expect(chart.textContent).toContain('<b>p2</b>');
});

it('LossChart: keyboard read-out and log toggle', () => {
  act(() => root.render(createElement(LossChart, { series: [series(400)] })));
  const area = host.querySelector<HTMLElement>('.loss-chart__plot-area')!;
  act(() => area.focus());
  expect(host.querySelector('.loss-chart__tooltip-step')?.textContent).toBe('step 400');
  act(() => {
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
  });
  expect(host.querySelector('.loss-chart__tooltip-step')?.textContent).toBe('step 1');
  const box = host.querySelector<HTMLInputElement>('input[type=checkbox]')!;
  act(() => box.click());
  expect(box.checked).toBe(true);
  expect([...host.querySelectorAll('.loss-chart__title')].map((t) => t.textContent)).toContain('loss (log)');
});

it('LossChart: a baseline is a dashed line at its accuracy, labelled, in the key and the read-out', () => {
  const baselines = [{ label: 'majority class ‘ham’', value: 0.75 }];
  act(() => root.render(createElement(LossChart, { series: [series(400)], height: 300, baselines })));
  const line = host.querySelector<SVGLineElement>('g.loss-chart__baseline line')!;
  // The plot is 300 - 12 - 36 = 252 px tall: 75% accuracy sits a quarter of it (63 px) below the top.
  expect(Number(line.getAttribute('y1'))).toBeCloseTo(63, 6);
  expect(line.getAttribute('y2')).toBe(line.getAttribute('y1'));
  expect(getComputedStyle(line).strokeDasharray).not.toBe('none');
  expect(host.querySelector('g.loss-chart__baseline text')?.textContent).toBe('majority class ‘ham’');
  expect(host.querySelector('[data-testid=key-baseline]')?.textContent).toBe('majority class ‘ham’');
  const area = host.querySelector<HTMLElement>('.loss-chart__plot-area')!;
  act(() => area.focus());
  expect(host.querySelector('[data-testid=readout-baseline]')?.textContent).toBe('majority class ‘ham’: 75.0%');
  // The next report joins the same line rather than adding one.
  act(() => root.render(createElement(LossChart, { series: [series(500)], height: 300, baselines })));
  expect(host.querySelectorAll('g.loss-chart__baseline')).toHaveLength(1);
  expect(host.querySelector('g.loss-chart__baseline line')).toBe(line);
});

function snapshot(step: number): NeighbourSnapshot {
  return {
    step,
    tokens: Array.from({ length: 100 }, (_, p) => [
      { id: 1, token: '▁Positive', similarity: 0.9 },
      { id: 2, token: '<img src=x onerror="window.__pwned=1">', similarity: 0.5 },
      { id: 3, token: '▁the', similarity: -0.2 },
      { id: 4, token: '</s>', similarity: 0.1 },
      { id: 5, token: `x${p}`, similarity: 0.05 },
    ]),
  };
}

it('NeighboursView: columns, label highlight, text only, scrubbing and Live', () => {
  act(() => root.render(createElement(NeighboursView, { snapshots: [], labelWords: ['positive'] })));
  const view = host.querySelector('[data-testid=neighbours-view]')!;
  expect(view.textContent).toMatch(/No neighbours yet/);

  const snaps = [snapshot(10), snapshot(20)];
  act(() => root.render(createElement(NeighboursView, { snapshots: snaps, labelWords: ['positive'] })));
  expect(view.getAttribute('data-step')).toBe('20');
  expect(view.querySelectorAll('.neighbours__column')).toHaveLength(100);
  expect(view.querySelectorAll('.neighbours__item--label.neighbours__item')).toHaveLength(100);
  expect(view.querySelector('img')).toBeNull();
  expect(view.textContent).toContain('<img src=x');
  expect(view.textContent).toContain('·Positive');
  const bars = view.querySelectorAll<HTMLElement>('.neighbours__bar');
  expect(bars[0]!.style.width).toBe('90%');
  expect(bars[2]!.style.width).toBe('0%');

  // Move the slider back: it stays there while new snapshots arrive.
  const slider = view.querySelector<HTMLInputElement>('input[type=range]')!;
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setValue.call(slider, '0');
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  });
  expect(view.getAttribute('data-step')).toBe('10');
  act(() => root.render(createElement(NeighboursView, { snapshots: [...snaps, snapshot(30)], labelWords: ['positive'] })));
  expect(view.getAttribute('data-step')).toBe('10');
  const live = [...view.querySelectorAll('button')].find((b) => /Live/.test(b.textContent ?? ''))!;
  expect(live.disabled).toBe(false);
  act(() => live.click());
  expect(view.getAttribute('data-step')).toBe('30');
  act(() => root.render(createElement(NeighboursView, { snapshots: [...snaps, snapshot(30), snapshot(40)], labelWords: ['positive'] })));
  expect(view.getAttribute('data-step')).toBe('40');
});

it('ConfusionMatrix and ClassCounts', () => {
  act(() =>
    root.render(
      createElement('div', null, [
        createElement(ConfusionMatrix, {
          key: 'm',
          labels: ['yes', 'no'],
          matrix: [
            [8, 2],
            [1, 9],
          ],
        }),
        createElement(ClassCounts, { key: 'c', counts: [{ label: 'yes', count: 10 }, { label: 'no', count: 10 }] }),
      ]),
    ),
  );
  const m = host.querySelector('[data-testid=confusion-matrix]')!;
  expect(m.querySelectorAll('td.confusion__cell')).toHaveLength(4);
  expect([...m.querySelectorAll('td.confusion__recall')].map((c) => c.textContent)).toEqual(['80%', '90%']);
  expect(m.textContent).toContain('Accuracy 85.0%');
  const c = host.querySelector('[data-testid=class-counts]')!;
  expect(c.querySelectorAll('rect.class-counts__bar')).toHaveLength(2);
  expect(c.querySelector('svg')!.getAttribute('aria-label')).toContain('yes 10');
});
