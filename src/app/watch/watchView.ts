/**
 * What the Watch panel's prompt views show, from the worker's replies (DOM-free, tested in Node):
 * while or after training, prompt 1's live snapshots; for an imported file or a reopened run, its
 * interpretation, as a start (when the file records how it started) and an end.
 */
import type { DriftSnapshot, MapData, NeighbourSnapshot, PromptFrame } from '../charts';
import type { NeighbourSnapshotState } from '../studio/studioState';
import type { WorkerEvent } from '../../core/worker/protocol';

export type Interpretation = Extract<WorkerEvent, { type: 'interpretation' }>;
export type VocabularyMapReply = Extract<WorkerEvent, { type: 'vocabulary-map' }>;

export interface WatchView {
  source: 'live' | 'prompt' | 'none';
  /** For NeighboursView (its slider is the panel's). */
  neighbours: NeighbourSnapshot[];
  /** For the map: one frame per slider position when live; start and end otherwise. */
  frames: PromptFrame[];
  drift: DriftSnapshot[];
  /** The frame / drift column that matches slider index `i`. */
  frameFor(i: number): number;
  /** Why there is no drift, when there is none. */
  noDrift?: string;
}

export function mapData(reply: Pick<VocabularyMapReply, 'explained' | 'vocabulary' | 'tokens' | 'labels'> | undefined): MapData | undefined {
  return reply && { explained: reply.explained, vocabulary: reply.vocabulary, tokens: reply.tokens, labels: reply.labels };
}

export function watchView(live: NeighbourSnapshotState[], interpretation: Interpretation | undefined): WatchView {
  if (live.length > 0) {
    const hasDrift = live.some((s) => s.initialCosine);
    return {
      source: 'live',
      neighbours: live,
      frames: live.map((s) => ({ step: s.step, points: s.projection ?? [] })),
      drift: live.map((s) => ({ step: s.step, cosine: s.initialCosine, norms: s.norms?.map((n) => n.norm) })),
      frameFor: (i) => i,
      ...(hasDrift ? {} : { noDrift: 'this run did not report where its prompt started' }),
    };
  }
  if (!interpretation) return { source: 'none', neighbours: [], frames: [], drift: [], frameFor: () => 0 };
  const step = interpretation.steps;
  const end = { step, points: interpretation.projection.prompt };
  const start = interpretation.projection.initial;
  const drift = interpretation.drift;
  return {
    source: 'prompt',
    neighbours: [{ step, tokens: interpretation.neighbours, norms: interpretation.norms }],
    frames: start ? [{ step: 0, points: start }, end] : [end],
    drift: drift
      ? [
          { step: 0, cosine: drift.initialNorm.map(() => 1), norms: drift.initialNorm },
          { step, cosine: drift.cosine, norms: drift.norm },
        ]
      : [{ step, norms: interpretation.norms.map((n) => n.norm) }],
    // One neighbours snapshot (the end) against start-and-end frames: the slider shows the end.
    frameFor: () => (start ? 1 : 0),
    ...(interpretation.driftUnavailable ? { noDrift: interpretation.driftUnavailable } : {}),
  };
}
