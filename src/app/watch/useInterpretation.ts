/**
 * The Watch panel's requests to the worker: the vocabulary map once per model (and label words),
 * and the current prompt's interpretation whenever the current prompts change outside training.
 * Replies are awaited by id; a stale reply (the model or prompts changed meanwhile) is dropped.
 */
import { useEffect, useState } from 'react';
import type { StudioState } from '../studio/studioState';
import type { StudioWorker } from '../studio/useStudioWorker';
import type { Interpretation, VocabularyMapReply } from './watchView';

/** Vocabulary points on the map: enough to see its shape, few enough to draw as SVG. */
export const MAP_SAMPLE = 1500;

export interface InterpretationState {
  map?: VocabularyMapReply;
  interpretation?: Interpretation;
  error?: string;
}

export function useInterpretation(worker: StudioWorker, state: StudioState): InterpretationState {
  const [map, setMap] = useState<VocabularyMapReply>();
  const [interpretation, setInterpretation] = useState<Interpretation>();
  const [error, setError] = useState<string>();
  const modelId = state.model?.id;
  const loading = state.session === 'loading';
  const labels = (state.data?.targetTexts ?? state.prompts?.labels ?? []).join('\u0000');

  useEffect(() => {
    setMap(undefined);
    if (!modelId || loading) return;
    let current = true;
    worker
      .request((requestId) => ({ type: 'vocabulary-map', requestId, sample: MAP_SAMPLE, labels: labels ? labels.split('\u0000') : [] }), 'vocabulary-map')
      .then((reply) => current && setMap(reply), (e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [worker.request, modelId, loading, labels]);

  const prompts = state.prompts;
  const training = state.session === 'training' || state.session === 'paused';
  useEffect(() => {
    setInterpretation(undefined);
    if (!prompts || training || loading) return;
    let current = true;
    worker
      .request((requestId) => ({ type: 'interpret', requestId, k: 5, sample: 0 }), 'interpretation')
      .then((reply) => current && setInterpretation(reply), (e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [worker.request, prompts, training, loading]);

  return { map, interpretation, error };
}
