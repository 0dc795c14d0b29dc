/**
 * The three views of prompt 1 that share the snapshot slider: its nearest words (with each
 * token's norm against the vocabulary's), its place on the vocabulary map, and its drift from
 * where it started. The slider lives in NeighboursView; this component owns its value.
 */
import { useState } from 'react';
import { DriftHeatmap, NeighboursView, VocabularyMap } from '../charts';
import type { StudioState } from '../studio/studioState';
import type { InterpretationState } from './useInterpretation';
import { mapData, watchView } from './watchView';

export function PromptViews({ state, interpretation }: { state: StudioState; interpretation: InterpretationState }) {
  // null: follow the newest snapshot, as NeighboursView does on its own.
  const [pinned, setPinned] = useState<number | null>(null);
  const view = watchView(state.neighbours, interpretation.interpretation);
  const count = view.neighbours.length;
  // A new run (fewer snapshots than before) returns to following the newest one.
  const [prevCount, setPrevCount] = useState(count);
  if (count !== prevCount) {
    setPrevCount(count);
    if (count < prevCount) setPinned(null);
  }
  const index = pinned === null || pinned >= count ? count - 1 : pinned;
  const frame = view.frameFor(Math.max(0, index));
  const labelWords = state.data?.targetTexts ?? state.prompts?.labels ?? [];
  const ensemble = state.series.length > 1 || (state.prompts?.count ?? 1) > 1;

  return (
    <>
      <h3>What the prompt tokens mean</h3>
      <p className="muted small">
        For each prompt token{ensemble ? ' (prompt 1 of the ensemble)' : ''}, the five vocabulary tokens whose embeddings are nearest by cosine similarity (the number beside each bar), and
        above them the token's norm with its percentile among the vocabulary's embedding norms. Label words are highlighted.
      </p>
      <p className="watch__caveat" data-testid="neighbours-caveat">
        Read the neighbours with care: prompts that score within 2% of each other can sit near arbitrary, even contradictory, words (Khashabi et al. 2022,{' '}
        <cite>
          <a href="https://aclanthology.org/2022.naacl-main.266/" rel="noreferrer" target="_blank">
            Prompt Waywardness
          </a>
        </cite>
        ). A token whose norm is <span className="watch__outside">outside the vocabulary's</span> (below its 1st or above its 99th percentile) is not a word at all: its neighbours are
        only the least distant ones. The map, the drift and what the model reads below say more.
      </p>
      <NeighboursView snapshots={view.neighbours} labelWords={labelWords} pinned={pinned} onPinnedChange={setPinned} />
      <h3>Where the prompt sits: the vocabulary's map</h3>
      <p className="muted small">
        The model's input embeddings on their first two principal components (a fixed basis per model, so snapshots can be compared), a sample of the vocabulary, the label words
        (the mean of their pieces), and the prompt tokens{view.source === 'live' ? ' with their path up to the chosen snapshot' : view.frames.length > 1 ? ' with the path from where they started' : ''}. Two
        components of a {state.model?.dModel ?? ''}-dimensional space show only a sliver of it: nearness here is a hint, not proof.
      </p>
      <VocabularyMap data={mapData(interpretation.map)} frames={view.frames} current={frame} />
      <h3>How far each token moved</h3>
      <p className="muted small">Per prompt token and snapshot: cosine to the vector it started from (1: unmoved) and its norm.</p>
      <DriftHeatmap snapshots={view.drift} current={frame} noInitialReason={view.noDrift} />
    </>
  );
}
