/**
 * "What the model reads": type a text, see the label the current prompt predicts for it, the share
 * of the encoder's self-attention each layer puts on the prompt, and each prompt token's importance.
 */
import { useId, useState } from 'react';
import type { ExampleReading } from '../../core/interpret/exampleReading';
import { ReadingBars } from '../charts';
import type { StudioState } from '../studio/studioState';
import type { StudioWorker } from '../studio/useStudioWorker';
import { useWorkerRequest } from './useWorkerRequest';

export function ExampleReader({ state, worker }: { state: StudioState; worker: StudioWorker }) {
  const [text, setText] = useState('');
  const { result: reading, busy, error, run } = useWorkerRequest<ExampleReading>();
  const inputId = useId();
  const training = state.session === 'training' || state.session === 'paused';
  const ready = !!state.prompts && !training;

  const read = () => run(() => worker.request((requestId) => ({ type: 'read-example', requestId, text }), 'example-reading'));

  return (
    <div className="watch__reader">
      <p className="muted small">
        For one example: how much of the encoder's self-attention lands on the prompt, layer by layer, and how much each prompt token matters to the prediction (the drop in the
        predicted label's log-probability when that token is removed; one batched pass per 16 tokens).
      </p>
      <form
        className="watch__reader-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && text.trim()) void read();
        }}
      >
        <label htmlFor={inputId}>Example text</label>
        <textarea id={inputId} rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder="Paste an example the prompt should classify" data-testid="reading-text" />
        <button type="submit" disabled={!ready || busy || !text.trim()} data-testid="reading-run">
          {busy ? 'Reading…' : 'Show what the model reads'}
        </button>
        {!ready && <span className="muted small">{training ? 'Available when training pauses or ends.' : 'Train a prompt or import a prompt file first.'}</span>}
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {reading && <ReadingBars reading={reading} />}
    </div>
  );
}
