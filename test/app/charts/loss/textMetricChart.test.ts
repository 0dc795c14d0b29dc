// The loss chart for a text task: validation points carry F1, so the accuracy axis reads exact
// match and F1, an F1 line is placed beside the exact-match line, and the words say both.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LatestValuesTable } from '../../../../src/app/charts/loss/LatestValuesTable';
import { LineKey } from '../../../../src/app/charts/loss/LossChartKey';
import { buildLossChartModel, MARGIN, prepareSeries, summarise, type LossSeries } from '../../../../src/app/charts/loss/lossChartModel';
import { ReadoutTooltip } from '../../../../src/app/charts/loss/ReadoutTooltip';
import { readoutAt } from '../../../../src/app/charts/loss/cursorModel';
import { studioReducer, initialStudioState } from '../../../../src/app/studio/studioState';
import { runSeries } from '../../../../src/app/runs/runCurve';
import { newRunRecord, recordValidation } from '../../../../src/core/storage/runRecorder';
import { DEFAULT_TRAINER_CONFIG } from '../../../../src/core/tuning/trainerConfig';

const innerHeight = 300 - MARGIN.top - MARGIN.bottom;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const qa: LossSeries = { name: 'prompt', train: [{ step: 1, loss: 3 }, { step: 2, loss: 2 }], validation: [{ step: 2, loss: 2.5, accuracy: 0.25, f1: 0.5 }] };
const classify: LossSeries = { name: 'prompt', train: qa.train, validation: [{ step: 2, loss: 2.5, accuracy: 0.25 }] };

describe('the loss chart on a text task', () => {
  it('places F1 on the accuracy axis beside the exact match, and names both', () => {
    const m = buildLossChartModel(prepareSeries([qa]), 640, 300, false)!;
    expect(m.text).toBe(true);
    // the axis runs 0..1 over the plot's height: 0.25 sits at 3/4 of it, 0.5 in the middle
    expect(m.series[0]!.accuracy[0]!.y).toBeCloseTo(innerHeight * 0.75, 9);
    expect(m.series[0]!.f1[0]!.y).toBeCloseTo(innerHeight * 0.5, 9);
    expect(m.titles.find((t) => t.cls === 'acc')!.text).toBe('validation exact match, F1');
    expect(summarise(prepareSeries([qa]))).toContain('validation loss 2.500, exact match 25.0%, F1 50.0%');
  });

  it('stays a classification chart without F1', () => {
    const m = buildLossChartModel(prepareSeries([classify]), 640, 300, false)!;
    expect(m.text).toBe(false);
    expect(m.series[0]!.f1).toEqual([]);
    expect(m.titles.find((t) => t.cls === 'acc')!.text).toBe('validation accuracy');
    expect(summarise(prepareSeries([classify]))).toContain('validation loss 2.500, accuracy 25.0%');
  });

  it('says exact match and F1 in the key, the read-out and the table of latest values', () => {
    expect(text(renderToStaticMarkup(createElement(LineKey, { text: true })))).toContain('val EM val F1');
    expect(text(renderToStaticMarkup(createElement(LineKey, {})))).not.toContain('val F1');
    const prepared = prepareSeries([qa]);
    const tooltip = text(renderToStaticMarkup(createElement(ReadoutTooltip, { id: 'r', step: 2, rows: readoutAt(prepared, 2), multi: false, announce: false, text: true })));
    expect(tooltip).toContain('val EM val F1');
    expect(tooltip).toContain('25.0% 50.0%');
    const table = text(renderToStaticMarkup(createElement(LatestValuesTable, { series: prepared })));
    expect(table).toContain('validation exact match validation F1 best validation exact match');
    expect(table).toContain('25.0% 50.0% 25.0%');
  });

  it("keeps F1 from the worker's validation events and from a saved run's record", () => {
    const s = studioReducer(initialStudioState, { type: 'validation', step: 4, accuracy: 0.5, f1: 0.75, loss: 1.2, isBest: true });
    expect(s.series[0]!.validation).toEqual([{ step: 4, loss: 1.2, accuracy: 0.5, f1: 0.75 }]);
    const ensemble = studioReducer(initialStudioState, { type: 'validation', step: 4, accuracy: 0.5, f1: 0.6, loss: 1.2, isBest: true, members: [{ accuracy: 0.25, f1: 0.5, loss: 1, isBest: true }, { accuracy: 0.5, f1: 0.7, loss: 1.4, isBest: false }] });
    expect(ensemble.series.map((x) => x.validation[0]!.f1)).toEqual([0.5, 0.7]);
    expect(ensemble.ensembleValidation).toEqual([{ step: 4, accuracy: 0.5, f1: 0.6 }]);

    const run = newRunRecord({ id: 'r', modelId: 'm', config: DEFAULT_TRAINER_CONFIG, task: { labels: [], targetTexts: [], template: '{text}', maxInputTokens: 64, kind: 'text' }, resume: undefined });
    recordValidation(run, { step: 4, accuracy: 0.5, f1: 0.75, loss: 1.2 });
    expect(runSeries(run)[0]!.validation).toEqual([{ step: 4, loss: 1.2, accuracy: 0.5, f1: 0.75 }]);
  });
});
