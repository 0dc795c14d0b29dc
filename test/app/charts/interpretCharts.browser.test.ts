/**
 * The interpretation views rendered into a real DOM (headless Chromium) from made-up data: the
 * vocabulary map (zoom, hover, the slider moving the prompt, the table fallback), the drift heat
 * maps, neighbours with norms, what the model reads, and the similarity matrix. A screenshot of
 * each lands in test-results/.
 */
import { act, createElement, Fragment } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { page } from 'vitest/browser';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ExampleReading } from '../../../src/core/interpret/exampleReading';
import '../../../src/app/app.css'; // the app's colours, so the screenshots look as in the studio
import { DriftHeatmap, NeighboursView, ReadingBars, SimilarityMatrix, VocabularyMap, type MapData, type NeighbourSnapshot, type PromptFrame } from '../../../src/app/charts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(async () => {
  await page.viewport(1000, 900);
  host = document.createElement('div');
  host.style.width = '900px';
  host.style.padding = '8px';
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

const shot = (name: string) => page.screenshot({ path: `../../../test-results/interpret-${name}.png`, element: host });

const map: MapData = {
  explained: [0.031, 0.027],
  vocabulary: Array.from({ length: 300 }, (_, i) => [i, Math.cos(i) * (1 + (i % 7) / 7), Math.sin(i * 1.3) * (1 + (i % 5) / 5)] as [number, number, number]),
  tokens: Array.from({ length: 300 }, (_, i) => (i === 7 ? '▁spam' : `▁tok${i}`)),
  labels: [
    { text: 'spam', x: 1.2, y: 0.4 },
    { text: 'ham', x: -1, y: -0.8 },
  ],
};
const frames: PromptFrame[] = [0, 10, 20].map((step) => ({ step, points: Array.from({ length: 5 }, (_, t) => [1.2 - t * 0.4 + step / 8, 0.4 + t * 0.1 + step / 10] as [number, number]) }));

it('VocabularyMap: the cloud, labels and prompt, a slider that moves the prompt, zoom, hover, the table', async () => {
  act(() => root.render(createElement(VocabularyMap, { data: map, frames, current: 1 })));
  const el = host.querySelector('[data-testid=vocabulary-map]')!;
  expect(el.getAttribute('data-step')).toBe('10');
  expect(el.querySelectorAll('circle.vmap__dot')).toHaveLength(300);
  expect(el.querySelectorAll('circle.vmap__dot--label')).toHaveLength(1); // "▁spam" spells a label word
  expect(el.querySelectorAll('g.vmap__label')).toHaveLength(2);
  expect(el.querySelectorAll('g.vmap__token')).toHaveLength(5);
  const trail = el.querySelector('path.vmap__trail')!;
  const before = trail.getAttribute('d');
  expect(el.querySelector('svg')!.getAttribute('aria-label')).toMatch(/300 vocabulary tokens.*5 prompt tokens at step 10/);

  act(() => root.render(createElement(VocabularyMap, { data: map, frames, current: 2 })));
  expect(el.getAttribute('data-step')).toBe('20');
  expect(el.querySelector('path.vmap__trail')).toBe(trail); // joined, not rebuilt
  expect(trail.getAttribute('d')).not.toBe(before);

  const content = el.querySelector('g.vmap__content')!;
  const zoomIn = [...el.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Zoom in')!;
  await act(async () => zoomIn.click());
  await expect.poll(() => content.getAttribute('transform') ?? '').toMatch(/scale\(1\.5\)/);
  const reset = [...el.querySelectorAll('button')].find((b) => b.textContent === 'Reset view')!;
  await act(async () => reset.click());
  await expect.poll(() => content.getAttribute('transform') ?? '').toMatch(/scale\(1\)/);

  const dot = el.querySelectorAll('circle.vmap__dot')[7]!;
  act(() => {
    dot.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
  });
  expect(host.querySelector('[data-testid=map-hover]')!.textContent).toMatch(/spam \(id 7\) · label word/);

  const rows = host.querySelectorAll('[data-testid=map-table] tbody tr');
  expect(rows).toHaveLength(7); // 5 prompt tokens, 2 labels
  expect(rows[0]!.textContent).toMatch(/^P1/);
  await shot('map');
});

it('DriftHeatmap: a cell per token and snapshot, the chosen column outlined, the values as a table', async () => {
  const snapshots = [0, 10, 20, 30].map((step) => ({ step, cosine: Array.from({ length: 6 }, (_, t) => 1 - (step / 30) * (t / 6)), norms: Array.from({ length: 6 }, (_, t) => 5 + step / 10 + t) }));
  act(() => root.render(createElement(DriftHeatmap, { snapshots, current: 1 })));
  const el = host.querySelector('[data-testid=drift-heatmap]')!;
  expect(el.getAttribute('data-columns')).toBe('4');
  expect(el.querySelectorAll('g.drift__cells rect')).toHaveLength(2 * 6 * 4);
  const outline = el.querySelector('rect.drift__current')!;
  const x1 = Number(outline.getAttribute('x'));
  act(() => root.render(createElement(DriftHeatmap, { snapshots, current: 3 })));
  expect(Number(el.querySelector('rect.drift__current')!.getAttribute('x'))).toBeGreaterThan(x1);
  expect(el.querySelector('[data-testid=drift-table] tbody tr')!.textContent).toMatch(/P1.*1\.000/);
  await shot('drift');

  act(() => root.render(createElement(DriftHeatmap, { snapshots: [{ step: 5, norms: [1, 2] }], current: 0, noInitialReason: 'the prompt file does not record its initialisation seed (init_seed)' })));
  expect(host.textContent).toMatch(/No cosine to the start: the prompt file does not record/);
});

it('NeighboursView with norms: each token\'s norm and percentile, outside ones marked; a shared slider', () => {
  const snapshots: NeighbourSnapshot[] = [0, 5].map((step) => ({
    step,
    tokens: [0, 1, 2].map(() => [{ id: 1, token: '▁spam', similarity: 0.812 }, { id: 2, token: '▁offer', similarity: 0.4 }]),
    norms: [{ norm: 12.3, vocabPercentile: 55 }, { norm: 0.2, vocabPercentile: 0 }, { norm: 88, vocabPercentile: 99.7 }],
  }));
  let pinned: number | null = null;
  const render = () => act(() => root.render(createElement(NeighboursView, { snapshots, labelWords: ['spam'], pinned, onPinnedChange: (p) => ((pinned = p), render()) })));
  render();
  const norms = host.querySelectorAll('[data-testid=token-norm]');
  expect(norms).toHaveLength(3);
  expect(norms[0]!.textContent).toMatch(/‖12\.3‖ · p55/);
  expect(norms[1]!.className).toMatch(/--outside/);
  expect(norms[2]!.textContent).toMatch(/p>99.*not a word/);
  expect(host.querySelector('.neighbours__num')!.textContent).toBe('0.81'); // the cosine, beside its bar
  const slider = host.querySelector<HTMLInputElement>('input[type=range]')!;
  act(() => {
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    set.call(slider, '0');
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  });
  expect(pinned).toBe(0);
  expect(host.querySelector('[data-testid=neighbours-view]')!.getAttribute('data-step')).toBe('0');
});

it('ReadingBars and SimilarityMatrix', async () => {
  const reading: ExampleReading = {
    text: 'cheap meds',
    tokens: ['▁cheap', '▁meds', '</s>'],
    labels: ['spam', 'ham'],
    labelScores: [-0.2, -1.9],
    predicted: 0,
    attention: { promptLength: 4, textLength: 3, uniformShare: 4 / 7, layers: [0, 1, 2, 3].map((layer) => ({ layer, share: 0.1 + layer * 0.15, fromText: 0.05 + layer * 0.1, heads: [0.1, 0.2] })) },
    importance: [0.8, -0.3, 0.05, 1.4],
    predictedWithout: [0, 0, 0, 1],
  };
  act(() =>
    root.render(
      createElement(Fragment, null, [
        createElement(ReadingBars, { key: 'r', reading }),
        createElement(SimilarityMatrix, { key: 's', names: ['spam run', 'sentiment run', '<b>file</b>'], matrix: [[1, 0.2, -0.4], [0.2, 1, 0.9], [-0.4, 0.9, 1]], caption: 'Mean-pooled' }),
      ]),
    ),
  );
  expect(host.querySelectorAll('[data-testid=attention-shares] tbody tr')).toHaveLength(4);
  const importance = host.querySelectorAll('[data-testid=token-importance] tbody tr');
  expect(importance).toHaveLength(4);
  expect(importance[3]!.textContent).toMatch(/\+1\.4000 without it: ham/);
  expect(importance[1]!.querySelector('.reading__bar--down')).not.toBeNull();
  const cells = host.querySelectorAll('[data-testid=similarity-matrix] tbody td');
  expect(cells).toHaveLength(9);
  expect(cells[2]!.textContent).toBe('-0.40');
  expect(host.querySelector('[data-testid=similarity-matrix] b')).toBeNull(); // names are text
  await shot('reading-and-similarity');
});
