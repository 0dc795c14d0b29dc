/**
 * Type a text, see the label the prompt picks (or, for a text-to-text prompt, the answer it writes):
 * with an ensemble, every prompt's too. A template with several columns gets one box per column.
 */
import { useState } from 'react';
import { templateFields } from '../../core/task/template';
import type { StudioWorker } from '../studio/useStudioWorker';

/** The answer, and each prompt's when there are several. */
interface Answer {
  answer: string;
  detail?: string;
  members: string[];
}

/** The boxes to fill: the columns the template names ("text" is the text itself), else the text alone. */
export function tryItInputs(template: string | undefined): string[] {
  const names = template ? templateFields(template) : [];
  return names.length ? names : ['text'];
}

export function TryIt({ worker, disabled, text: generates = false, template }: { worker: StudioWorker; disabled: boolean; text?: boolean; template?: string }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<string>();
  const names = tryItInputs(template);
  const filled = names.some((n) => values[n]?.trim());
  const ask = async () => {
    setError(undefined);
    try {
      const fields = Object.fromEntries(names.filter((n) => n !== 'text').map((n) => [n, values[n] ?? '']));
      const make = (requestId: number) => ({ type: 'predict' as const, requestId, texts: [values.text ?? ''], ...(Object.keys(fields).length ? { fields: [fields] } : {}) });
      if (generates) {
        const r = (await worker.request(make, 'generated')).results[0]!;
        setAnswer({ answer: r.answer, members: r.members, ...(r.cut > 0 ? { detail: 'cut at the answer length limit' } : {}) });
      } else {
        const reply = await worker.request(make, 'predictions');
        const r = reply.results[0]!;
        setAnswer({ answer: reply.labels[r.answer]!, detail: `${(100 * r.probabilities[r.answer]!).toFixed(1)}%`, members: r.votes.map((v) => reply.labels[v]!) });
      }
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const verb = generates ? 'Answer' : 'Classify';
  const single = names.length === 1 && names[0] === 'text';
  return (
    <div className="try-it">
      <h3>Try it</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (filled) void ask();
        }}
      >
        {single ? (
          <>
            <label htmlFor="try-text" className="visually-hidden">
              {generates ? 'Input to answer' : 'Text to classify'}
            </label>
            <textarea id="try-text" rows={2} value={values.text ?? ''} onChange={(e) => setValues({ text: e.target.value })} placeholder={generates ? 'Type an input…' : 'Type a text to classify…'} data-testid="try-text" />
          </>
        ) : (
          <div className="try-it__fields">
            {names.map((name) => (
              <label key={name}>
                {`{${name}}`}
                <textarea rows={2} value={values[name] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))} placeholder={`Type the ${name}…`} data-testid={name === 'text' ? 'try-text' : `try-field-${name}`} />
              </label>
            ))}
          </div>
        )}
        <button type="submit" disabled={disabled || !filled} data-testid="try-submit">
          {verb}
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {answer && (
        <div data-testid="try-answer" aria-live="polite">
          <p>
            <strong>{answer.answer || '(empty answer)'}</strong>
            {answer.detail && ` (${answer.detail})`}
          </p>
          {answer.members.length > 1 && (
            <ol className="votes" aria-label={generates ? "Each prompt's answer" : "Each prompt's vote"}>
              {answer.members.map((m, k) => (
                <li key={k}>
                  prompt {k + 1}: {m}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </div>
  );
}
