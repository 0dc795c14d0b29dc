import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { displayToken } from './chartUtils';
import { drawVocabularyMap, type MapHover, type MapView } from './map/drawVocabularyMap';
import { buildVocabularyMapModel, mapTableRows, type MapData, type PromptFrame } from './map/vocabularyMapModel';
import { useElementWidth } from './useElementWidth';
import './chartsShared.css';
import './VocabularyMap.css';

export type { MapData, PromptFrame };

export interface VocabularyMapProps {
  data: MapData | undefined;
  /** The prompt's positions at each snapshot, oldest first. */
  frames: PromptFrame[];
  /** The snapshot shown (the Watch panel's slider); trails run from the first frame to it. */
  current: number;
  height?: number;
}

const fmt = (x: number) => x.toFixed(3);

function hoverText(h: MapHover): string {
  if (!h) return '';
  if (h.kind === 'label') return `label word "${h.text}" (the mean of its pieces' embeddings)`;
  if (h.kind === 'prompt') return `prompt token P${h.dot.index + 1}`;
  const { lead, text } = displayToken(h.dot.token);
  return `${lead}${text} (id ${h.dot.id})${h.dot.isLabel ? ' · label word' : ''}`;
}

/**
 * The vocabulary's embedding space on its first two principal components (a fixed basis per
 * model), with a sampled cloud of tokens, the label words, and the prompt tokens moving through
 * the snapshots. D3 draws into the <svg> React owns; zoom with the wheel or the buttons, drag to
 * pan, hover a point for its token. A table lists the prompt tokens and label words for screen readers.
 */
export function VocabularyMap({ data, frames, current, height = 380 }: VocabularyMapProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const view = useRef<MapView>(undefined);
  const width = useElementWidth(rootRef, 640);
  const [hover, setHover] = useState<MapHover>(null);
  const tableId = useId();
  const clipId = `vmap-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const model = useMemo(() => (data ? buildVocabularyMapModel(data, frames, current, width, height) : undefined), [data, frames, current, width, height]);
  const rows = useMemo(() => (data ? mapTableRows(data, frames[Math.min(current, frames.length - 1)]) : []), [data, frames, current]);

  useEffect(() => {
    if (svgRef.current && model) view.current = drawVocabularyMap(svgRef.current, model, setHover, clipId);
  }, [model, clipId]);

  if (!data) {
    return (
      <div className="vmap" data-testid="vocabulary-map" ref={rootRef}>
        <p className="charts-empty">The map appears once a model is loaded.</p>
      </div>
    );
  }
  return (
    <div className="vmap" data-testid="vocabulary-map" data-step={model?.step ?? ''} data-points={data.vocabulary.length} ref={rootRef}>
      <div className="vmap__toolbar">
        <span className="vmap__key">
          <span className="vmap__swatch vmap__swatch--vocab" /> vocabulary ({data.vocabulary.length} sampled)
          <span className="vmap__swatch vmap__swatch--label" /> label words
          <span className="vmap__swatch vmap__swatch--prompt" /> prompt tokens{frames.length > 1 ? ', with their path' : ''}
        </span>
        <span className="vmap__buttons">
          <button type="button" onClick={() => view.current?.zoomBy(1.5)} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={() => view.current?.zoomBy(1 / 1.5)} aria-label="Zoom out">
            −
          </button>
          <button type="button" onClick={() => view.current?.reset()}>
            Reset view
          </button>
        </span>
      </div>
      <svg ref={svgRef} className="vmap__svg" width={model?.width} height={model?.height} role="img" aria-label={model?.summary} aria-describedby={tableId} />
      <p className="vmap__hover" aria-live="polite" data-testid="map-hover">
        {hover ? hoverText(hover) : 'Hover a point for its token. Scroll to zoom, drag to pan.'}
      </p>
      <details className="vmap__details">
        <summary>Positions as a table</summary>
        <table id={tableId} className="vmap__table" data-testid="map-table">
          <caption>Prompt tokens{model?.step !== undefined ? ` at step ${model.step}` : ''} and label words on the first two principal components</caption>
          <thead>
            <tr>
              <th scope="col">Point</th>
              <th scope="col">PC1</th>
              <th scope="col">PC2</th>
              <th scope="col">Nearest label word on the map</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.kind}:${r.name}`}>
                <th scope="row">{r.kind === 'label' ? `label "${r.name}"` : r.name}</th>
                <td>{fmt(r.x)}</td>
                <td>{fmt(r.y)}</td>
                <td>{r.nearestLabel ? `${r.nearestLabel.text} (${fmt(r.nearestLabel.distance)})` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
