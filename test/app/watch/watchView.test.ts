/** What the Watch panel's prompt views show: live snapshots while training, start and end for an imported prompt. */
import { describe, expect, it } from 'vitest';
import type { NeighbourSnapshotState } from '../../../src/app/studio/studioState';
import { mapData, watchView, type Interpretation } from '../../../src/app/watch/watchView';

const live: NeighbourSnapshotState[] = [
  { step: 0, tokens: [[]], norms: [{ norm: 2, vocabPercentile: 50 }], projection: [[0, 0]], initialCosine: [1] },
  { step: 5, tokens: [[]], norms: [{ norm: 3, vocabPercentile: 99.5 }], projection: [[1, 1]], initialCosine: [0.8] },
];

const interpretation: Interpretation = {
  type: 'interpretation',
  requestId: 1,
  member: 0,
  steps: 40,
  tokens: [],
  neighbours: [[{ id: 3, token: 'a', similarity: 0.5 }]],
  norms: [{ norm: 4, vocabPercentile: 100 }],
  vocabularyNorms: { min: 1, median: 2, max: 3 },
  projection: { explained: [0.1, 0.05], prompt: [[2, 2]], vocabulary: [], labels: [], initial: [[0, 0]] },
  drift: { initialNorm: [2], cosine: [0.3], norm: [4] },
};

describe('watchView', () => {
  it('live: one frame and one drift column per snapshot, aligned with the slider', () => {
    const v = watchView(live, interpretation);
    expect(v.source).toBe('live');
    expect(v.neighbours).toBe(live);
    expect(v.frames).toEqual([
      { step: 0, points: [[0, 0]] },
      { step: 5, points: [[1, 1]] },
    ]);
    expect(v.drift[1]).toEqual({ step: 5, cosine: [0.8], norms: [3] });
    expect(v.frameFor(1)).toBe(1);
    expect(v.noDrift).toBeUndefined();
  });

  it('an imported prompt: its neighbours at its steps, a start and an end on the map and in the drift', () => {
    const v = watchView([], interpretation);
    expect(v.source).toBe('prompt');
    expect(v.neighbours).toEqual([{ step: 40, tokens: interpretation.neighbours, norms: interpretation.norms }]);
    expect(v.frames.map((f) => f.step)).toEqual([0, 40]);
    expect(v.drift).toEqual([
      { step: 0, cosine: [1], norms: [2] },
      { step: 40, cosine: [0.3], norms: [4] },
    ]);
    expect(v.frameFor(0)).toBe(1);
  });

  it('without a known start: the end only, and the reason', () => {
    const { drift: _drift, ...rest } = interpretation;
    const v = watchView([], { ...rest, projection: { ...rest.projection, initial: undefined }, driftUnavailable: 'no init_seed' });
    expect(v.frames).toHaveLength(1);
    expect(v.drift).toEqual([{ step: 40, norms: [4] }]);
    expect(v.noDrift).toBe('no init_seed');
    expect(watchView([], undefined).source).toBe('none');
    expect(mapData(undefined)).toBeUndefined();
  });
});
