/** Type a text, see the label the prompt picks: with an ensemble, every prompt's vote too. */
import { useState } from 'react';
import type { StudioWorker } from '../studio/useStudioWorker';

interface Answer {
  labels: string[];
  answer: number;
  votes: number[];
  probabilities: number[];
}

export function TryIt({ worker, disabled }: { worker: StudioWorker; disabled: boolean }) {
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<string>();
  const classify = async () => {
    setError(undefined);
    try {
      const reply = await worker.request((requestId) => ({ type: 'predict', requestId, texts: [text] }), 'predictions');
      const r = reply.results[0]!;
      setAnswer({ labels: reply.labels, ...r });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="try-it">
      <h3>Try it</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) void classify();
        }}
      >
        <label htmlFor="try-text" className="visually-hidden">
          Text to classify
        </label>
        <textarea id="try-text" rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder="Type a text to classify…" data-testid="try-text" />
        <button type="submit" disabled={disabled || !text.trim()} data-testid="try-submit">
          Classify
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {answer && (
        <div data-testid="try-answer" aria-live="polite">
          <p>
            <strong>{answer.labels[answer.answer]}</strong> ({(100 * answer.probabilities[answer.answer]!).toFixed(1)}%)
          </p>
          {answer.votes.length > 1 && (
            <ol className="votes" aria-label="Each prompt's vote">
              {answer.votes.map((v, k) => (
                <li key={k}>
                  prompt {k + 1}: {answer.labels[v]}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </div>
  );
}
