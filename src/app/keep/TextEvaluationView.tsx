/**
 * A text-to-text prompt's evaluation: exact match and token F1 (SQuAD's normalisation) for each
 * prompt, their mean and best, the ensemble's vote and its most confident answer, the notes on
 * length limits, and a table of examples (input, target, generated).
 */
import type { TextEvaluationState } from '../studio/studioState';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function TextEvaluationView({ evaluation }: { evaluation: TextEvaluationState }) {
  const several = evaluation.members.length > 1;
  return (
    <div data-testid="text-evaluation">
      <p>
        Exact match <strong data-testid="exact-match">{pct(evaluation.ensemble.exactMatch)}</strong>, F1 <strong data-testid="f1">{pct(evaluation.ensemble.f1)}</strong> on {evaluation.n} examples
        {several && (
          <>
            {' '}
            (vote of {evaluation.members.length}: each prompt {evaluation.members.map((m) => `${pct(m.exactMatch)} / ${pct(m.f1)}`).join(', ')}; mean {pct(evaluation.mean.exactMatch)}, best {pct(evaluation.best.exactMatch)})
          </>
        )}
      </p>
      {several && (
        <p data-testid="most-confident">
          Most confident answer (the prompt surest of its answer, each time): exact match <strong>{pct(evaluation.confident.exactMatch)}</strong>, F1 <strong>{pct(evaluation.confident.f1)}</strong>
        </p>
      )}
      {evaluation.notes.map((n) => (
        <p key={n} className="warning" role="status">
          {n}
        </p>
      ))}
      <table className="text-examples" data-testid="text-examples">
        <thead>
          <tr>
            {['Input', 'Target', 'Generated', ...(several ? ['Each prompt'] : [])].map((heading) => (
              <th key={heading} scope="col">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {evaluation.examples.map((e, i) => (
            <tr key={i}>
              <td>{e.input}</td>
              <td>{e.target}</td>
              <td>{e.generated}</td>
              {several && <td>{e.members?.join(' · ')}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
