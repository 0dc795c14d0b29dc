/**
 * The Watch step: the live loss chart, and what the prompt is: its nearest words (honestly: with
 * their cosine, each token's norm against the vocabulary's, and a caveat), its place on the
 * vocabulary's map, how far it moved, what the model reads of an example, and how it compares with
 * other runs' prompts.
 */
import { LossChart, type ChartBaseline } from '../charts';
import type { StudioState } from '../studio/studioState';
import type { StudioWorker } from '../studio/useStudioWorker';
import { ComparePrompts } from './ComparePrompts';
import { ExampleReader } from './ExampleReader';
import { promptDesignSentence } from './promptDesignLine';
import { PromptViews } from './PromptViews';
import { useInterpretation } from './useInterpretation';
import './watch.css';

export interface WatchPanelProps {
  state: StudioState;
  worker: StudioWorker;
  /** Reference accuracies drawn on the loss chart's accuracy axis (the majority class…). */
  baselines?: readonly ChartBaseline[];
}

export function WatchPanel({ state, worker, baselines }: WatchPanelProps) {
  const ensemble = state.ensembleValidation;
  const last = ensemble[ensemble.length - 1];
  const interpretation = useInterpretation(worker, state);
  const training = state.session === 'training' || state.session === 'paused';
  return (
    <section className="panel watch-panel" aria-labelledby="watch-heading">
      <h2 id="watch-heading">4. Watch</h2>
      <h3>Loss</h3>
      <LossChart series={state.series} baselines={baselines} />
      {state.promptDesign?.validation && (
        <p className="muted" data-testid="prompt-design-validation">
          {promptDesignSentence(state.promptDesign.validation, 'validation rows')} (the dashed line; the trained prompt's is the accuracy curve{state.data?.kind === 'text' ? ', exact match of its answers' : ''}).
        </p>
      )}
      {last && (
        <p className="muted" data-testid="ensemble-accuracy">
          {last.f1 === undefined
            ? `Ensemble (majority vote) validation accuracy at step ${last.step}: ${(100 * last.accuracy).toFixed(1)}%`
            : `Ensemble (vote over normalised answers) validation exact match at step ${last.step}: ${(100 * last.accuracy).toFixed(1)}%, F1 ${(100 * last.f1).toFixed(1)}%`}
        </p>
      )}
      <PromptViews state={state} interpretation={interpretation} />
      {interpretation.error && (
        <p className="error" role="status">
          {interpretation.error}
        </p>
      )}
      <h3>What the model reads</h3>
      <ExampleReader state={state} worker={worker} />
      <h3>Runs side by side</h3>
      <ComparePrompts worker={worker} disabled={!state.model || training || state.session === 'loading'} />
    </section>
  );
}
