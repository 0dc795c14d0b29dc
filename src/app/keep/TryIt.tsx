/** Type a text, see the label the prompt picks (or, for a text-to-text prompt, the answer it writes): with an ensemble, every prompt's too. */
import { useState } from 'react';
import type { StudioWorker } from '../studio/useStudioWorker';

/** The answer, and each prompt's when there are several. */
interface Answer {
  answer: string;
  detail?: string;
  members: string[];
}

export function TryIt({ worker, disabled, text: generates = false }: { worker: StudioWorker; disabled: boolean; text?: boolean }) {
  const [input, setInput] = useState('');
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<string>();
  const ask = async () => {
    setError(undefined);
    try {
      const make = (requestId: number) => ({ type: 'predict' as const, requestId, texts: [input] });
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
  return (
    <div className="try-it">
      <h3>Try it</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (input.trim()) void ask();
        }}
      >
        <label htmlFor="try-text" className="visually-hidden">
          {generates ? 'Input to answer' : 'Text to classify'}
        </label>
        <textarea id="try-text" rows={2} value={input} onChange={(e) => setInput(e.target.value)} placeholder={generates ? 'Type an input…' : 'Type a text to classify…'} data-testid="try-text" />
        <button type="submit" disabled={disabled || !input.trim()} data-testid="try-submit">
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
