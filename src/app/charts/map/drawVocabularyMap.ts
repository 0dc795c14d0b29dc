/**
 * Puts a VocabularyMapModel into the <svg> React owns, with D3 zoom and pan (wheel, drag, the
 * toolbar's buttons). Elements are joined once and updated, so moving the snapshot slider only
 * moves the prompt tokens and their trails. Hover is delegated: one listener reports the datum
 * under the pointer.
 */
import { axisBottom, axisLeft, line, select, zoom, zoomIdentity, type Selection, type ZoomBehavior, type ZoomTransform } from 'd3';
import { MAP_MARGIN, type PromptDot, type VocabDot, type VocabularyMapModel } from './vocabularyMapModel';
import { joinGroups } from '../joinGroups';

export type MapHover = { kind: 'vocab'; dot: VocabDot } | { kind: 'prompt'; dot: PromptDot } | { kind: 'label'; text: string } | null;

export interface MapView {
  zoomBy(factor: number): void;
  reset(): void;
}

const trailPath = line<[number, number]>();

type Parent = Selection<SVGElement, unknown, null, undefined>;

/** The child of `parent` with class `cls`, created on first use (later groups paint over earlier ones). */
function ensure(parent: Parent, tag: 'g' | 'text' | 'rect' | 'clipPath', cls: string): Parent {
  const found = parent.select<SVGElement>(`:scope > .${cls}`);
  return found.empty() ? parent.append<SVGElement>(tag).attr('class', cls) : found;
}

/** Radii in screen pixels, kept constant while zooming. */
const R = { vocab: 2, label: 5, prompt: 5 };

/** `clipId`: a page-unique id for the plot's clip path (two maps on a page must not share one). */
export function drawVocabularyMap(svgEl: SVGSVGElement, model: VocabularyMapModel, onHover: (h: MapHover) => void, clipId: string): MapView {
  const svg = select<SVGElement, unknown>(svgEl);
  const root = ensure(svg, 'g', 'vmap__root').attr('transform', `translate(${MAP_MARGIN.left},${MAP_MARGIN.top})`);
  ensure(root, 'clipPath', 'vmap__clip').attr('id', clipId).selectAll('rect').data([0]).join('rect').attr('width', model.innerWidth).attr('height', model.innerHeight);
  const xAxis = ensure(root, 'g', 'vmap__axis-x').attr('transform', `translate(0,${model.innerHeight})`);
  const yAxis = ensure(root, 'g', 'vmap__axis-y');
  ensure(root, 'text', 'vmap__title-x').attr('x', model.innerWidth / 2).attr('y', model.innerHeight + 34).attr('text-anchor', 'middle').text(model.axisTitles[0]);
  ensure(root, 'text', 'vmap__title-y').attr('transform', `translate(-36,${model.innerHeight / 2}) rotate(-90)`).attr('text-anchor', 'middle').text(model.axisTitles[1]);
  const frame = ensure(root, 'g', 'vmap__frame').attr('clip-path', `url(#${clipId})`);
  // A transparent backdrop, so a drag that starts between points still pans.
  ensure(frame, 'rect', 'vmap__capture').attr('width', model.innerWidth).attr('height', model.innerHeight);
  const content = ensure(frame, 'g', 'vmap__content');
  const vocabLayer = ensure(content, 'g', 'vmap__vocab');
  const labelLayer = ensure(content, 'g', 'vmap__labels');
  const trailLayer = ensure(content, 'g', 'vmap__trails');
  const promptLayer = ensure(content, 'g', 'vmap__prompt');

  vocabLayer
    .selectAll<SVGCircleElement, VocabDot>('circle')
    .data(model.vocab, (d) => d.id)
    .join('circle')
    .attr('class', (d) => (d.isLabel ? 'vmap__dot vmap__dot--label' : 'vmap__dot'))
    .attr('cx', (d) => d.px)
    .attr('cy', (d) => d.py);
  const labels = joinGroups(labelLayer, 'vmap__label', model.labels, (d) => d.text, [['path'], ['text']]);
  labels.select('text').text((d) => d.text);
  trailLayer
    .selectAll<SVGPathElement, PromptDot>('path')
    .data(model.prompt, (d) => d.index)
    .join('path')
    .attr('class', 'vmap__trail')
    .attr('d', (d) => (d.trail.length > 1 ? trailPath(d.trail) : null));
  const prompt = joinGroups(promptLayer, 'vmap__token', model.prompt, (d: PromptDot) => d.index, [['circle'], ['text']]);
  prompt.select('text').text((d) => `P${d.index + 1}`);

  /** Positions under a zoom transform: points move, their sizes stay in screen pixels. */
  const place = (t: ZoomTransform) => {
    (xAxis as unknown as Selection<SVGGElement, unknown, null, undefined>).call(axisBottom(t.rescaleX(model.x)).ticks(6));
    (yAxis as unknown as Selection<SVGGElement, unknown, null, undefined>).call(axisLeft(t.rescaleY(model.y)).ticks(6));
    content.attr('transform', t.toString());
    vocabLayer.selectAll<SVGCircleElement, VocabDot>('circle').attr('r', R.vocab / t.k);
    labels.attr('transform', (d) => `translate(${d.px},${d.py}) scale(${1 / t.k})`);
    labels.select('path').attr('d', `M0,${-R.label * 1.4}L${R.label},0L0,${R.label * 1.4}L${-R.label},0Z`);
    labels.select('text').attr('x', R.label + 3).attr('y', -R.label);
    trailLayer.selectAll('path').attr('stroke-width', 1.5 / t.k);
    prompt.attr('transform', (d) => `translate(${d.px},${d.py}) scale(${1 / t.k})`);
    prompt.select('circle').attr('r', R.prompt);
    prompt.select('text').attr('x', R.prompt + 2).attr('y', 3);
  };
  // One zoom behaviour per <svg>, kept on the node: redraws (a new snapshot, a resize) keep the view.
  const node = svgEl as SVGSVGElement & { __vmapZoom?: ZoomBehavior<SVGSVGElement, unknown>; __zoom?: ZoomTransform };
  const behaviour = (node.__vmapZoom ??= zoom<SVGSVGElement, unknown>().scaleExtent([0.5, 50]));
  behaviour
    .extent([
      [0, 0],
      [model.innerWidth, model.innerHeight],
    ])
    .on('zoom', (event: { transform: ZoomTransform }) => place(event.transform));
  const svgSel = select<SVGSVGElement, unknown>(svgEl);
  svgSel.call(behaviour);
  place(node.__zoom ?? zoomIdentity);

  content
    .on('pointerover', (event: PointerEvent) => {
      const target = event.target as Element;
      const g = target.closest('g.vmap__token, g.vmap__label');
      if (g) {
        const d = select(g).datum() as PromptDot | { text: string };
        onHover('index' in d ? { kind: 'prompt', dot: d } : { kind: 'label', text: d.text });
      } else if (target.classList.contains('vmap__dot')) {
        onHover({ kind: 'vocab', dot: select(target).datum() as VocabDot });
      }
    })
    .on('pointerout', () => onHover(null));

  return {
    zoomBy: (factor) => svgSel.call(behaviour.scaleBy, factor),
    reset: () => svgSel.call(behaviour.transform, zoomIdentity),
  };
}
