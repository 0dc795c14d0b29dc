import { useId } from 'react';
import { checkLabelTexts, labelsLookLikeCodes, suggestLabelTexts } from '../../core/data/labelTexts';

export interface LabelTextsProps {
  /** Labels in order of first appearance, with their example counts. */
  classCounts: ReadonlyArray<{ label: string; count: number }>;
  /** What the user typed per label ('' or absent: the label itself). */
  edits: Readonly<Record<string, string>>;
  /** Every label's text as it will be trained (edits resolved). */
  texts: Readonly<Record<string, string>>;
  onChange(edits: Record<string, string>): void;
  disabled?: boolean;
}

const q = (s: string) => `‘${s}’`;

/**
 * The label texts (verbalizers): for each label, the text the model is trained to write. Editable;
 * labels that are numbers or codes get suggested words (1 / -1 → positive / negative...), which
 * are guesses to confirm, since nothing here knows what the labels mean. Texts the model could not
 * tell apart, or long ones, are flagged. The page has no tokenizer (it lives in the training
 * worker), so tokens are estimated from words and punctuation, and the notes say so.
 */
export function LabelTexts({ classCounts, edits, texts, onChange, disabled = false }: LabelTextsProps) {
  const id = useId();
  const labels = classCounts.map((c) => c.label);
  const codes = labelsLookLikeCodes(labels);
  const suggestions = suggestLabelTexts(labels);
  const issues = checkLabelTexts(texts);
  const edited = Object.values(edits).some((t) => t.trim() !== '');
  const flagged = new Set(issues.flatMap((i) => i.labels));
  return (
    <div className="data-labels" data-testid="label-texts">
      <h3 className="data-card__title" id={id}>
        What the model learns to write
      </h3>
      <p className="data-muted data-labels__hint">
        Prompt tuning trains the model to write a text for each label, and class-label initialisation starts from those words. Words the model knows work best.
      </p>
      {codes && !edited && (
        <p className="data-labels__codes" data-testid="label-codes-note">
          These labels are numbers or codes, so the model would be trained to write {labels.slice(0, 4).map(q).join(', ')}
          {labels.length > 4 ? ', …' : ''}. Give each a word{suggestions.length > 0 ? ', for example:' : ' below.'}
        </p>
      )}
      {suggestions.length > 0 && (
        <div className="data-labels__suggestions">
          {suggestions.map((s, k) => (
            <button
              key={s.name}
              type="button"
              className="data-button"
              data-testid={`label-suggestion-${k}`}
              disabled={disabled}
              title={labels.map((l) => `${l} → ${s.texts[l]}`).join(', ')}
              onClick={() => onChange({ ...s.texts })}
            >
              {labels.map((l) => `${l} → ${s.texts[l]}`).join(', ')}
            </button>
          ))}
          {edited && (
            <button type="button" className="data-button data-button--link" disabled={disabled} onClick={() => onChange({})}>
              Use the labels as they are
            </button>
          )}
        </div>
      )}
      <table className="data-labels__table" aria-labelledby={id}>
        <thead>
          <tr>
            <th scope="col">label</th>
            <th scope="col">examples</th>
            <th scope="col">text the model writes</th>
          </tr>
        </thead>
        <tbody>
          {classCounts.map(({ label, count }, i) => (
            <tr key={label} className={flagged.has(label) ? 'data-labels__row--flagged' : undefined}>
              <td className="data-labels__label">{label}</td>
              <td className="data-labels__count">{count.toLocaleString('en-US')}</td>
              <td>
                <input
                  type="text"
                  value={Object.hasOwn(edits, label) ? edits[label] : ''}
                  placeholder={label}
                  aria-label={`Text the model writes for label ${label}`}
                  data-testid={`label-text-${i}`}
                  data-text={texts[label]}
                  disabled={disabled}
                  onChange={(e) => onChange({ ...edits, [label]: e.currentTarget.value })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {issues.length > 0 && (
        <ul className="data-labels__issues" data-testid="label-text-issues">
          {issues.map((issue) => (
            <li key={`${issue.kind}:${issue.labels.join('\u0000')}`} className={`data-problem data-problem--${issue.severity}`} data-severity={issue.severity}>
              {capitalize(issue.message)}.
            </li>
          ))}
          {issues.some((i) => i.kind !== 'same-text') && <li className="data-muted">Tokens are estimated from words here; the model's own tokenizer may split them differently.</li>}
        </ul>
      )}
    </div>
  );
}

const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
