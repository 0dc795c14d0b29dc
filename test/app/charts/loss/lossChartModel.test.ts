import { describe, expect, it } from 'vitest';
import { buildLossChartModel, latestValues, MARGIN, prepareSeries, summarise, type LossSeries } from '../../../../src/app/charts/loss/lossChartModel';

const W = 640;
const H = 300;
const innerWidth = W - MARGIN.left - MARGIN.right;
const innerHeight = H - MARGIN.top - MARGIN.bottom;

function run(name: string, train: Array<[number, number]>, validation: Array<[number, number, number]> = []): LossSeries {
  return {
    name,
    train: train.map(([step, loss]) => ({ step, loss })),
    validation: validation.map(([step, loss, accuracy]) => ({ step, loss, accuracy })),
  };
}

function model(series: LossSeries[], log = false, width = W, height = H) {
  const m = buildLossChartModel(prepareSeries(series), width, height, log);
  if (!m) throw new Error('expected a model');
  return m;
}

describe('prepareSeries', () => {
  it('sorts points by step and smooths with the debiased EMA (weight 0.9)', () => {
    const [p] = prepareSeries([run('a', [[3, 1], [1, 3], [2, 2]], [[20, 1, 0.5], [10, 2, 0.4]])]);
    expect(p!.trainSteps).toEqual([1, 2, 3]);
    expect(p!.valSteps).toEqual([10, 20]);
    let ema = 0;
    const expected = [3, 2, 1].map((v, i) => {
      ema = 0.9 * ema + 0.1 * v;
      return ema / (1 - 0.9 ** (i + 1));
    });
    p!.smoothed.forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 12));
  });
  it('gives one run the accent colour and an ensemble distinct colours', () => {
    expect(prepareSeries([run('a', [])])[0]!.color).toBe('var(--accent)');
    const colors = prepareSeries([run('a', []), run('b', []), run('a', [])]).map((s) => s.color);
    expect(new Set(colors).size).toBe(3);
    expect(colors).not.toContain('var(--accent)');
  });
  it('keys series by position, so two runs with one name stay apart', () => {
    const keys = prepareSeries([run('a', []), run('a', [])]).map((s) => s.key);
    expect(new Set(keys).size).toBe(2);
  });
});

describe('buildLossChartModel: scales and ticks', () => {
  it('has no model without any point (the empty state)', () => {
    expect(buildLossChartModel(prepareSeries([]), W, H, false)).toBeNull();
    expect(buildLossChartModel(prepareSeries([run('a', [])]), W, H, false)).toBeNull();
  });

  it('spans the steps of training and validation across the plot width', () => {
    const m = model([run('a', [[5, 1], [40, 2]], [[60, 1.5, 0.7]]), run('b', [[10, 1]])]);
    expect(m.x.domain()).toEqual([5, 60]);
    expect(m.x.range()).toEqual([0, innerWidth]);
    expect(m.hasValidation).toBe(true);
  });

  it('widens a single step by one on each side', () => {
    expect(model([run('a', [[7, 1]])]).x.domain()).toEqual([6, 8]);
  });

  it('starts a linear loss axis at 0 and rounds its top up to a tick', () => {
    const m = model([run('a', [[1, 2.37], [2, 0.4]])]);
    // 0..2.37 in about ten ticks is steps of 0.2: the top becomes 2.4.
    expect(m.y.domain()).toEqual([0, 2.4]);
    expect(m.y.range()).toEqual([innerHeight, 0]);
    expect(m.log).toBe(false);
    // About one tick per 45 px (252 / 45 → 6 ticks): 2.4 / 6 = 0.4 rounds to steps of 0.5.
    expect(m.yTickCount).toBe(Math.round(innerHeight / 45));
    expect(m.gridTicks).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(m.xTickCount).toBe(Math.round(innerWidth / 90));
  });

  it('goes below 0 for negative losses and ignores non-finite ones', () => {
    const m = model([run('a', [[1, -0.5], [2, Number.NaN], [3, Infinity], [4, 1]])]);
    expect(m.y.domain()[0]).toBeLessThanOrEqual(-0.5);
    expect(m.y.domain()[1]).toBeGreaterThanOrEqual(1);
    expect(m.y.domain()[1]).toBeLessThan(2);
  });

  it('puts a log axis on whole decades, with grid lines only at labelled ticks', () => {
    const m = model([run('a', [[1, 2], [2, 0.05], [3, 0]])], true);
    expect(m.log).toBe(true);
    // 0 cannot be on a log axis: the smallest positive loss (0.05) sets the bottom.
    expect(m.y.domain()).toEqual([0.01, 10]);
    expect(m.gridTicks).toEqual([0.01, 0.1, 1, 10]);
    expect(m.titles.find((t) => t.cls === 'y')!.text).toBe('loss (log)');
  });

  it('pads a narrow log range so at least one tick is labelled', () => {
    const m = model([run('a', [[1, 1], [2, 1.2]])], true);
    const [lo, hi] = m.y.domain();
    expect(lo).toBeLessThanOrEqual(1 / 1.2);
    expect(hi).toBeGreaterThanOrEqual(1.2 * 1.2);
    expect(m.gridTicks.length).toBeGreaterThan(0);
  });

  it('falls back to a linear axis when no loss is positive', () => {
    const m = model([run('a', [[1, 0], [2, -1]])], true);
    expect(m.log).toBe(false);
    expect(m.titles.find((t) => t.cls === 'y')!.text).toBe('loss');
  });

  it('keeps a minimum plot size in a tiny box', () => {
    const m = model([run('a', [[1, 1], [2, 2]])], false, 10, 10);
    expect(m.innerWidth).toBe(40);
    expect(m.innerHeight).toBe(40);
  });

  it('shows the accuracy title only with validation', () => {
    expect(model([run('a', [[1, 1]])]).titles.find((t) => t.cls === 'acc')!.show).toBe(false);
    expect(model([run('a', [[1, 1]], [[1, 1, 0.5]])]).titles.find((t) => t.cls === 'acc')!.show).toBe(true);
  });
});

describe('buildLossChartModel: geometry', () => {
  it('places training points linearly in pixels', () => {
    const m = model([run('a', [[0, 0], [50, 1], [100, 2]])]);
    // Domain 0..100 steps, 0..2 loss (already nice).
    const px = (step: number) => (step / 100) * innerWidth;
    const py = (loss: number) => innerHeight * (1 - loss / 2);
    const [s] = m.series;
    expect(s!.raw.map((p) => p.step)).toEqual([0, 50, 100]);
    s!.raw.forEach((p, i) => {
      expect(p.x).toBeCloseTo(px([0, 50, 100][i]!), 9);
      expect(p.y).toBeCloseTo(py([0, 1, 2][i]!), 9);
      expect(p.defined).toBe(true);
    });
  });

  it('breaks lines at unusable values: NaN always, 0 or less on a log axis', () => {
    const series = [run('a', [[1, 1], [2, Number.NaN], [3, 0], [4, 2]], [[2, 0, 0.5], [4, 1, Number.NaN]])];
    const lin = model(series).series[0]!;
    expect(lin.raw.map((p) => p.defined)).toEqual([true, false, true, true]);
    expect(lin.validation.map((p) => p.step)).toEqual([2, 4]);
    const log = model(series, true).series[0]!;
    expect(log.raw.map((p) => p.defined)).toEqual([true, false, false, true]);
    // A validation loss of 0 has no place on a log axis: no dot for it.
    expect(log.validation.map((p) => p.step)).toEqual([4]);
    // Accuracy has its own axis: NaN breaks it whatever the loss axis.
    expect(log.accuracy.map((p) => p.defined)).toEqual([true, false]);
  });

  it('puts validation accuracy on a 0..1 axis', () => {
    const m = model([run('a', [[0, 1], [10, 1]], [[10, 1, 0.25]])]);
    expect(m.series[0]!.accuracy[0]!.y).toBeCloseTo(innerHeight * 0.75, 9);
    expect(m.series[0]!.accuracy[0]!.x).toBeCloseTo(innerWidth, 9);
  });

  it('decimates long runs but keeps the ends and a spike', () => {
    const n = 20_000;
    const train = Array.from({ length: n }, (_, i): [number, number] => [i + 1, i === 12_345 ? 50 : 1 + Math.sin(i) / 10]);
    const raw = model([run('a', train)]).series[0]!.raw;
    expect(raw.length).toBeLessThanOrEqual(4 * innerWidth + 4);
    expect(raw[0]!.step).toBe(1);
    expect(raw[raw.length - 1]!.step).toBe(n);
    expect(raw.map((p) => p.step)).toContain(12_346);
  });
});

describe('summary and latest values', () => {
  it('says when there is nothing yet', () => {
    expect(summarise(prepareSeries([]))).toBe('Loss chart: no training yet.');
  });

  it('reads out the last point of each series', () => {
    const a = run('a', [[1, 2], [2, 2]], [[2, 1.5, 0.75]]);
    expect(summarise(prepareSeries([a]))).toBe(
      'Loss chart, 1 series, 2 training points. step 2, smoothed training loss 2.000; validation loss 1.500, accuracy 75.0%.',
    );
    const b = run('b', [[5, 0.001]]);
    expect(summarise(prepareSeries([a, b]))).toBe(
      'Loss chart, 2 series, 3 training points. a: step 2, smoothed training loss 2.000; validation loss 1.500, accuracy 75.0%. b: step 5, smoothed training loss 1e-3.',
    );
  });

  it('finds the best finite accuracy and the last values', () => {
    const [p] = prepareSeries([run('a', [[1, 4], [9, 4]], [[1, 1, 0.6], [2, 1, Number.NaN], [3, 2, 0.4]])]);
    expect(latestValues(p!)).toEqual({ lastStep: 9, smoothed: 4, val: { step: 3, loss: 2, accuracy: 0.4 }, bestAccuracy: 0.6 });
    const [empty] = prepareSeries([run('b', [])]);
    expect(latestValues(empty!)).toEqual({ lastStep: undefined, smoothed: undefined, val: undefined, bestAccuracy: undefined });
  });
});
