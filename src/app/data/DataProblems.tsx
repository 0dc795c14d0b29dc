import type { DataProblem } from './problems';

const SEVERITY_LABEL = { blocking: 'Blocking', warning: 'Warning', note: 'Note' } as const;

/** Problems, blocking first; the severity is written out, not only coloured. */
export function DataProblems({ problems }: { problems: readonly DataProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="data-problems" data-testid="data-problems" aria-label="Problems with the data" aria-live="polite">
      {problems.map((p, i) => (
        <li key={i} className={`data-problem data-problem--${p.severity}`} data-severity={p.severity}>
          <span className="data-problem__severity">{SEVERITY_LABEL[p.severity]}</span>
          <span className="data-problem__body">
            <strong className="data-problem__title">{p.title}</strong>
            {p.detail && <span className="data-problem__detail">{p.detail}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}
