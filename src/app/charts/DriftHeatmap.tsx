import { useEffect, useMemo, useRef, useState } from 'react';
import { buildDriftModel, cellAt, type DriftSnapshot } from './drift/driftModel';
import { drawDriftHeatmap } from './drift/drawDriftHeatmap';
import { useElementWidth } from './useElementWidth';
import './chartsShared.css';
import './DriftHeatmap.css';

export type { DriftSnapshot };

export interface DriftHeatmapProps {
  snapshots: DriftSnapshot[];
  /** The snapshot the Watch panel's slider shows. */
  current: number;
  /** Shown when there is no cosine: why the initial prompt is unknown. */
  noInitialReason?: string;
}

const f = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));

/**
 * How each prompt token moved in training: its cosine to the vector it started from, and its norm,
 * at every snapshot, as two heat maps (tokens down, snapshots across). Hover a cell for its value;
 * a table gives the chosen snapshot's values for screen readers.
 */
export function DriftHeatmap({ snapshots, current, noInitialReason }: DriftHeatmapProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const width = useElementWidth(rootRef, 640);
  const [hover, setHover] = useState<string>();
  const model = useMemo(() => buildDriftModel(snapshots, current, width), [snapshots, current, width]);

  useEffect(() => {
    if (svgRef.current && model) drawDriftHeatmap(svgRef.current, model);
  }, [model]);

  if (!model) {
    return (
      <div className="drift" data-testid="drift-heatmap" ref={rootRef}>
        <p className="charts-empty">No drift yet: it appears while training runs, or for a prompt whose start is known.</p>
      </div>
    );
  }
  const shown = snapshots[model.current]!;
  const first = snapshots[0]!;
  return (
    <div className="drift" data-testid="drift-heatmap" data-columns={model.columns} ref={rootRef}>
      <svg
        ref={svgRef}
        className="drift__svg"
        width={model.width}
        height={model.height}
        role="img"
        aria-label={model.summary}
        onPointerMove={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          const hit = cellAt(model, e.clientX - box.left, e.clientY - box.top);
          setHover(hit ? `P${hit.cell.token + 1} at step ${hit.cell.step}: ${hit.panel.title} ${hit.cell.value.toFixed(3)}` : undefined);
        }}
        onPointerLeave={() => setHover(undefined)}
      />
      <p className="drift__hover" aria-live="polite">
        {hover ?? (noInitialReason && !model.panels.some((p) => p.key === 'cosine') ? `No cosine to the start: ${noInitialReason}.` : 'Hover a cell for its value; the outlined column is the chosen snapshot.')}
      </p>
      <details>
        <summary>Values at step {shown.step} as a table</summary>
        <table className="drift__table" data-testid="drift-table">
          <thead>
            <tr>
              <th scope="col">Token</th>
              <th scope="col">Cosine to its start</th>
              <th scope="col">Norm at step {first.step}</th>
              <th scope="col">Norm at step {shown.step}</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: model.tokens }, (_, i) => (
              <tr key={i}>
                <th scope="row">P{i + 1}</th>
                <td>{f(shown.cosine?.[i])}</td>
                <td>{f(first.norms?.[i])}</td>
                <td>{f(shown.norms?.[i])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
