import { interpolateRdBu, scaleDiverging } from 'd3';
import { truncate } from './chartUtils';
import './chartsShared.css';
import './SimilarityMatrix.css';

export interface SimilarityMatrixProps {
  names: string[];
  /** [i][j] cosine similarity in [-1, 1]. */
  matrix: number[][];
  caption: string;
}

/** Blue for similar, red for opposite, white for unrelated (cosine 0). */
const colour = scaleDiverging(interpolateRdBu).domain([-1, 0, 1]);

/**
 * A matrix of cosine similarities between prompts, as a table: each cell holds its number and
 * a diverging colour, so it reads without the colour too.
 */
export function SimilarityMatrix({ names, matrix, caption }: SimilarityMatrixProps) {
  if (names.length === 0) return <p className="charts-empty">No prompts to compare.</p>;
  return (
    <div className="simmatrix__scroller" tabIndex={0} role="region" aria-label={caption}>
      <table className="simmatrix" data-testid="similarity-matrix">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <td />
            {names.map((n, j) => (
              <th key={j} scope="col" title={n}>
                {j + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((n, i) => (
            <tr key={i}>
              <th scope="row" title={n}>
                {i + 1}. {truncate(n, 40)}
              </th>
              {matrix[i]!.map((v, j) => (
                <td key={j} style={{ background: colour(v), color: Math.abs(v) > 0.6 ? '#fff' : '#111' }} title={`${names[i]} · ${names[j]}: ${v.toFixed(3)}`}>
                  {v.toFixed(2)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
