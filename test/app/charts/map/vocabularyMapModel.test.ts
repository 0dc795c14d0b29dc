/** The vocabulary map's model: fixed scales over every snapshot, trails up to the chosen one, the table rows. */
import { describe, expect, it } from 'vitest';
import { buildVocabularyMapModel, MAP_MARGIN, mapTableRows, type MapData, type PromptFrame } from '../../../../src/app/charts/map/vocabularyMapModel';

const data: MapData = {
  explained: [0.123, 0.045],
  vocabulary: [
    [5, -2, -1],
    [9, 2, 1],
    [11, 0, 0.5],
  ],
  tokens: ['▁good', 'bad', '▁other'],
  labels: [
    { text: 'good', x: -2, y: -1 },
    { text: 'bad', x: 2, y: 1 },
  ],
};
const frames: PromptFrame[] = [
  { step: 0, points: [[-2, -1], [0, 0]] },
  { step: 10, points: [[-1, 0], [3, 2]] },
  { step: 20, points: [[0, 1], [4, 3]] },
];

describe('buildVocabularyMapModel', () => {
  const m = buildVocabularyMapModel(data, frames, 1, 500, 300);

  it('scales cover the vocabulary, the labels and every snapshot (padded 5%), so the axes never move with the slider', () => {
    expect(m.innerWidth).toBe(500 - MAP_MARGIN.left - MAP_MARGIN.right);
    expect(m.x.domain()).toEqual([-2 - 0.3, 4 + 0.3]);
    expect(m.y.domain()).toEqual([-1 - 0.2, 3 + 0.2]);
    expect(buildVocabularyMapModel(data, frames, 2, 500, 300).x.domain()).toEqual(m.x.domain());
    expect(m.y(3.2)).toBe(0); // y grows upwards
  });

  it('shows the chosen snapshot with each token\'s trail from the first one', () => {
    expect(m.step).toBe(10);
    expect(m.prompt).toHaveLength(2);
    expect(m.prompt[1]!.px).toBeCloseTo(m.x(3), 9);
    expect(m.prompt[1]!.trail).toEqual([
      [m.x(0), m.y(0)],
      [m.x(3), m.y(2)],
    ]);
    expect(buildVocabularyMapModel(data, frames, 99, 500, 300).step).toBe(20); // clamped
  });

  it('marks vocabulary tokens that spell a label word, and describes itself', () => {
    expect(m.vocab.map((v) => v.isLabel)).toEqual([true, true, false]);
    expect(m.axisTitles[0]).toMatch(/PC1 \(12\.3%/);
    expect(m.summary).toMatch(/3 vocabulary tokens.*2 prompt tokens at step 10.*good, bad/);
  });

  it('has no prompt before any snapshot, and a sane domain for an empty map', () => {
    const empty = buildVocabularyMapModel({ explained: [], vocabulary: [], tokens: [], labels: [] }, [], 0, 300, 200);
    expect(empty.prompt).toEqual([]);
    expect(empty.x.domain()).toEqual([-1.1, 1.1]);
  });
});

describe('mapTableRows', () => {
  it('lists each prompt token with the nearest label word on the map, then the label words', () => {
    const rows = mapTableRows(data, frames[1]);
    expect(rows.map((r) => r.name)).toEqual(['P1', 'P2', 'good', 'bad']);
    expect(rows[0]!.nearestLabel).toEqual({ text: 'good', distance: Math.hypot(1, 1) });
    expect(rows[1]!.nearestLabel!.text).toBe('bad');
    expect(rows[2]!.nearestLabel).toBeUndefined();
  });
});
