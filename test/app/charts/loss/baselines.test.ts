/** Baselines on the loss chart's accuracy axis: line and label positions, the axis domain, words. */
import { scaleLinear } from 'd3';
import { describe, expect, it } from 'vitest';
import { accuracyDomain, describeBaseline, LABEL_GAP, placeBaselines } from '../../../../src/app/charts/loss/baselines';
import { buildLossChartModel, MARGIN, prepareSeries, summarise, type LossSeries } from '../../../../src/app/charts/loss/lossChartModel';

const W = 640;
const H = 300;
const innerHeight = H - MARGIN.top - MARGIN.bottom; // 252

const series: LossSeries[] = [{ name: 'a', train: [{ step: 1, loss: 2 }, { step: 10, loss: 1 }], validation: [] }];

describe('placeBaselines', () => {
  it('puts each line at its accuracy on the axis, the label 3 px above it', () => {
    const acc = scaleLinear().domain([0, 1]).range([200, 0]);
    const [b] = placeBaselines([{ label: 'majority', value: 0.75 }], acc);
    // 0.75 of the way up a 200 px axis: 50 px from the top.
    expect(b).toMatchObject({ label: 'majority', value: 0.75, y: 50, labelY: 47 });
  });

  it('pushes the higher of two close labels up to keep them apart, leaving the lines where they are', () => {
    const acc = scaleLinear().domain([0, 1]).range([200, 0]);
    const [low, high] = placeBaselines([{ label: 'majority', value: 0.5 }, { label: 'prompt design', value: 0.52 }], acc);
    expect(low!.y).toBeCloseTo(100, 10);
    expect(high!.y).toBeCloseTo(96, 10);
    expect(low!.labelY).toBeCloseTo(97, 10);
    expect(high!.labelY).toBeCloseTo(97 - LABEL_GAP, 10);
    // Far apart: no push.
    const [a, b] = placeBaselines([{ label: 'x', value: 0.9 }, { label: 'y', value: 0.1 }], acc);
    expect(a!.labelY).toBeCloseTo(17, 10);
    expect(b!.labelY).toBeCloseTo(177, 10);
  });

  it('leaves out a baseline without a finite value', () => {
    const acc = scaleLinear().domain([0, 1]).range([200, 0]);
    expect(placeBaselines([{ label: 'unknown', value: Number.NaN }, { label: 'ok', value: 0.4 }], acc).map((b) => b.label)).toEqual(['ok']);
  });
});

describe('accuracyDomain', () => {
  it('is 0 to 1, widened only by a baseline outside it', () => {
    expect(accuracyDomain([])).toEqual([0, 1]);
    expect(accuracyDomain([{ label: 'a', value: 0.6 }])).toEqual([0, 1]);
    expect(accuracyDomain([{ label: 'a', value: 1.25 }, { label: 'b', value: -0.1 }, { label: 'c', value: Infinity }])).toEqual([-0.1, 1.25]);
  });
});

describe('the loss chart model with baselines', () => {
  it('draws the majority baseline at its accuracy on the right-hand axis', () => {
    const m = buildLossChartModel(prepareSeries(series), W, H, false, [{ label: 'majority class ‘ham’', value: 0.8 }])!;
    expect(m.baselines).toHaveLength(1);
    // 252 px plot: 80% sits 20% of 252 = 50.4 px below the top.
    expect(m.baselines[0]!.y).toBeCloseTo(0.2 * innerHeight, 10);
    expect(m.baselines[0]!.labelY).toBeCloseTo(0.2 * innerHeight - 3, 10);
    // No validation yet, but the baseline is read against the accuracy axis, so the axis shows.
    expect(m.hasValidation).toBe(false);
    expect(m.showAccuracyAxis).toBe(true);
    expect(m.titles.find((t) => t.cls === 'acc')!.show).toBe(true);
  });

  it('includes a baseline outside 0..1 in the accuracy axis, and none leaves the axis as it was', () => {
    const m = buildLossChartModel(prepareSeries(series), W, H, false, [{ label: 'x', value: 1.2 }])!;
    expect(m.acc.domain()).toEqual([0, 1.2]);
    // 0.6 is half of 1.2: the middle of the plot.
    expect(m.acc(0.6)).toBeCloseTo(innerHeight / 2, 10);
    expect(m.baselines[0]!.y).toBeCloseTo(0, 10);
    const plain = buildLossChartModel(prepareSeries(series), W, H, false)!;
    expect(plain.acc.domain()).toEqual([0, 1]);
    expect(plain.baselines).toEqual([]);
    expect(plain.showAccuracyAxis).toBe(false);
  });

  it('says the baselines in the summary for screen readers', () => {
    const text = summarise(prepareSeries(series), [{ label: 'majority class ‘ham’', value: 0.8 }]);
    expect(text).toMatch(/Baselines: majority class ‘ham’: 80\.0%\.$/);
    expect(describeBaseline({ label: 'prompt design', value: 0.6543 })).toBe('prompt design: 65.4%');
  });
});
