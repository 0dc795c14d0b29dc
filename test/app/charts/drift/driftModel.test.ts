/** The drift heat maps' model: cells per (token, snapshot), colour domains, the marked column, hover by arithmetic. */
import { describe, expect, it } from 'vitest';
import { buildDriftModel, cellAt, type DriftSnapshot } from '../../../../src/app/charts/drift/driftModel';

const snapshots: DriftSnapshot[] = [
  { step: 0, cosine: [1, 1, 1], norms: [1, 2, 3] },
  { step: 5, cosine: [0.9, 0.5, -0.2], norms: [1.5, 2, 6] },
];

describe('buildDriftModel', () => {
  it('makes a cosine panel and a norm panel with one cell per token and snapshot', () => {
    const m = buildDriftModel(snapshots, 1, 600)!;
    expect(m.tokens).toBe(3);
    expect(m.columns).toBe(2);
    expect(m.panels.map((p) => p.key)).toEqual(['cosine', 'norm']);
    expect(m.panels[0]!.cells).toHaveLength(6);
    expect(m.panels[0]!.domain).toEqual([-0.2, 1]); // reaches below 0 when a token turned around
    expect(m.panels[1]!.domain).toEqual([0, 6]);
    expect(m.current).toBe(1);
    expect(m.summary).toMatch(/3 prompt tokens over 2 snapshots \(steps 0 to 5\)/);
    const c = m.panels[0]!.cells.find((x) => x.token === 2 && x.column === 1)!;
    expect(c.value).toBe(-0.2);
    expect(c.x).toBeCloseTo(m.left + m.panelWidth / 2, 9);
  });

  it('without an initial prompt: the norm panel only, and nothing at all without snapshots', () => {
    const m = buildDriftModel([{ step: 3, norms: [1, 2] }], 0, 400)!;
    expect(m.panels.map((p) => p.key)).toEqual(['norm']);
    expect(m.summary).toMatch(/initial prompt is unknown/);
    expect(buildDriftModel([], 0, 400)).toBeUndefined();
  });

  it('finds the cell under a point', () => {
    const m = buildDriftModel(snapshots, 0, 600)!;
    const p = m.panels[1]!;
    const hit = cellAt(m, p.x0 + m.panelWidth * 0.75, m.top + 1.5 * m.cellHeight)!;
    expect(hit.panel.key).toBe('norm');
    expect(hit.cell).toMatchObject({ token: 1, column: 1, value: 2 });
    expect(cellAt(m, 1, 1)).toBeUndefined();
  });
});
