import { describe, expect, it } from 'vitest';
import { collectSteps, focusMarkers, initialStep, readoutAt, stepAfterKey, stepAtPixel, tooltipPosition } from '../../../../src/app/charts/loss/cursorModel';
import { buildLossChartModel, MARGIN, prepareSeries, type LossSeries } from '../../../../src/app/charts/loss/lossChartModel';

const W = 640;
const H = 300;
const innerWidth = W - MARGIN.left - MARGIN.right;

function run(name: string, trainSteps: number[], valSteps: number[] = [], loss = (step: number) => 1 + step / 100): LossSeries {
  return {
    name,
    train: trainSteps.map((step) => ({ step, loss: loss(step) })),
    validation: valSteps.map((step) => ({ step, loss: 2, accuracy: step / 1000 })),
  };
}

function setup(series: LossSeries[], log = false) {
  const prepared = prepareSeries(series);
  const model = buildLossChartModel(prepared, W, H, log)!;
  return { prepared, model, steps: collectSteps(prepared) };
}

describe('collectSteps', () => {
  it('merges the steps of every series, without repeats, in numeric order', () => {
    const { steps } = setup([run('a', [2, 10, 100], [100, 300]), run('b', [10, 25])]);
    expect([...steps]).toEqual([2, 10, 25, 100, 300]);
  });
});

describe('stepAtPixel', () => {
  // Steps 0, 10, …, 100 across the plot: one step every tenth of the width.
  const { model, steps } = setup([run('a', Array.from({ length: 11 }, (_, i) => i * 10))]);
  const pxOf = (step: number) => (step / 100) * innerWidth;

  it('lands on the step nearest to the pointer', () => {
    expect(stepAtPixel(model, steps, pxOf(37))).toBe(40);
    expect(stepAtPixel(model, steps, pxOf(33))).toBe(30);
    expect(stepAtPixel(model, steps, pxOf(60))).toBe(60);
  });
  it('clamps to the first and last step outside the plot', () => {
    expect(stepAtPixel(model, steps, -50)).toBe(0);
    expect(stepAtPixel(model, steps, innerWidth + 50)).toBe(100);
  });
  it('has no step without data', () => {
    expect(stepAtPixel(model, new Float64Array(), 10)).toBeNull();
  });
});

describe('stepAfterKey', () => {
  const steps = Float64Array.from(Array.from({ length: 25 }, (_, i) => (i + 1) * 4)); // 4 … 100
  const page = Math.round(steps.length / 10); // 3

  it('starts from the latest step when there is no cursor yet', () => {
    expect(initialStep(steps)).toBe(100);
    expect(initialStep(new Float64Array())).toBeNull();
    expect(stepAfterKey(steps, null, 'ArrowLeft')).toEqual({ step: 96 });
    expect(stepAfterKey(steps, null, 'ArrowRight')).toEqual({ step: 100 });
  });
  it('moves one step with the arrows and a tenth of the run with the page keys', () => {
    expect(stepAfterKey(steps, 40, 'ArrowLeft')).toEqual({ step: 36 });
    expect(stepAfterKey(steps, 40, 'ArrowRight')).toEqual({ step: 44 });
    expect(stepAfterKey(steps, 40, 'PageUp')).toEqual({ step: 40 + page * 4 });
    expect(stepAfterKey(steps, 40, 'PageDown')).toEqual({ step: 40 - page * 4 });
  });
  it('goes to the ends with Home and End, and stops there', () => {
    expect(stepAfterKey(steps, 40, 'Home')).toEqual({ step: 4 });
    expect(stepAfterKey(steps, 40, 'End')).toEqual({ step: 100 });
    expect(stepAfterKey(steps, 4, 'ArrowLeft')).toEqual({ step: 4 });
    expect(stepAfterKey(steps, 8, 'PageDown')).toEqual({ step: 4 });
    expect(stepAfterKey(steps, 96, 'PageUp')).toEqual({ step: 100 });
  });
  it('moves from the nearest step when the cursor is between steps', () => {
    expect(stepAfterKey(steps, 41, 'ArrowRight')).toEqual({ step: 44 });
  });
  it('hides the cursor on Escape and ignores other keys and empty charts', () => {
    expect(stepAfterKey(steps, 40, 'Escape')).toEqual({ step: null });
    expect(stepAfterKey(steps, 40, 'a')).toBeNull();
    expect(stepAfterKey(new Float64Array(), null, 'Home')).toBeNull();
  });
});

describe('read-out', () => {
  it('takes each series at its own nearest training and validation steps', () => {
    const { prepared } = setup([run('a', [10, 20, 30], [25]), run('b', [100], [])]);
    const [a, b] = readoutAt(prepared, 22);
    expect(a).toMatchObject({ name: 'a', trainStep: 20, raw: 1.2, val: { step: 25, loss: 2, accuracy: 0.025 } });
    expect(a!.smoothed).toBeCloseTo(prepared[0]!.smoothed[1]!, 12);
    expect(b).toMatchObject({ name: 'b', trainStep: 100, raw: 2 });
    expect(b!.val).toBeUndefined();
  });

  it('marks each smoothed line at the read-out step, skipping values a log axis cannot show', () => {
    const { prepared, model } = setup([run('a', [0, 100], [], () => 1), run('b', [], [50]), run('c', [0, 100], [], () => -1)], true);
    const markers = focusMarkers(model, readoutAt(prepared, 100));
    // b has no training point and c's loss is not positive: only a gets a marker.
    expect(markers.map((m) => m.key)).toEqual([prepared[0]!.key]);
    expect(markers[0]!.x).toBeCloseTo(innerWidth, 9);
    expect(markers[0]!.color).toBe(prepared[0]!.color);
  });

  it('puts the tooltip on the roomier side of the cursor', () => {
    const { model } = setup([run('a', [0, 100])]);
    const left = tooltipPosition(model, 10);
    expect(left).toEqual({ left: MARGIN.left + 0.1 * innerWidth + 12, top: MARGIN.top + 4 });
    const right = tooltipPosition(model, 90);
    expect(right.left).toBeUndefined();
    expect(right.right).toBeCloseTo(W - (MARGIN.left + 0.9 * innerWidth) + 12, 9);
  });
});
