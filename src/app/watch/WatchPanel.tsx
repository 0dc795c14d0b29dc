/** The Watch step: the live loss chart and what each prompt token is near in the vocabulary. */
import { LossChart, NeighboursView } from '../charts';
import type { StudioState } from '../studio/studioState';

export function WatchPanel({ state }: { state: StudioState }) {
  const ensemble = state.ensembleValidation;
  const last = ensemble[ensemble.length - 1];
  return (
    <section className="panel watch-panel" aria-labelledby="watch-heading">
      <h2 id="watch-heading">4. Watch</h2>
      <h3>Loss</h3>
      <LossChart series={state.series} />
      {last && (
        <p className="muted" data-testid="ensemble-accuracy">
          Ensemble (majority vote) validation accuracy at step {last.step}: {(100 * last.accuracy).toFixed(1)}%
        </p>
      )}
      <h3>What the prompt tokens mean</h3>
      <p className="muted small">
        For each prompt token, the five vocabulary tokens whose embeddings are nearest by cosine similarity{state.series.length > 1 ? ' (prompt 1 of the ensemble)' : ''}. Label words are
        highlighted.
      </p>
      <NeighboursView snapshots={state.neighbours} labelWords={state.data?.targetTexts ?? state.prompts?.labels ?? []} />
    </section>
  );
}
