import type { HeaderDecision, HeaderMode } from '../../core/data/headerDetection';

export interface HeaderChoiceProps {
  decision: HeaderDecision;
  columns: readonly string[];
  onChange(mode: HeaderMode): void;
  disabled?: boolean;
}

const q = (s: string) => `‘${s.length > 30 ? `${s.slice(0, 30)}…` : s}’`;

/**
 * What was decided about the first row of a CSV/TSV, and the one click that says otherwise. A
 * headerless file read as if it had a header loses its first example and names its columns after
 * it, so the decision is always shown; when it was detected, so is why.
 */
export function HeaderChoice({ decision, columns, onChange, disabled = false }: HeaderChoiceProps) {
  const how = decision.detected ? 'detected' : 'as you chose';
  const names = columns.slice(0, 4).map(q).join(', ') + (columns.length > 4 ? ', …' : '');
  return (
    <div className="data-header" data-testid="header-choice" data-has-header={decision.hasHeader ? 'yes' : 'no'}>
      <p className="data-header__text">
        {decision.hasHeader ? (
          <>
            <strong>The first row holds the column names</strong> ({names}), {how}.
          </>
        ) : (
          <>
            <strong>The first row is data</strong>, not column names ({how}): it is an example like the others, and the columns are called {names}.
          </>
        )}
        {decision.detected && decision.evidence.length > 0 && (
          <span className="data-muted" data-testid="header-evidence">
            {' '}
            Why: {decision.evidence.join('; ')}.
          </span>
        )}
      </p>
      <button type="button" className="data-button" data-testid="header-switch" disabled={disabled} onClick={() => onChange(decision.hasHeader ? 'no' : 'yes')}>
        {decision.hasHeader ? 'The first row is data' : 'The first row is a header'}
      </button>
    </div>
  );
}
