/** A saved run's losses and validations as the loss chart's series. */
import type { RunRecord } from '../../core/storage/runRecord';
import type { LossSeriesState } from '../studio/studioState';

export function runSeries(run: RunRecord): LossSeriesState[] {
  const members = run.memberLosses && run.memberLosses.length > 1 ? run.memberLosses : [run.losses];
  return members.map((losses, k) => ({
    name: members.length > 1 ? `prompt ${k + 1}` : 'prompt',
    train: losses.map(([step, loss]) => ({ step, loss })),
    validation: run.validations.map((v) => {
      const m = v.members?.[k];
      const f1 = m ? m.f1 : v.f1;
      return { step: v.step, loss: m?.loss ?? v.loss, accuracy: m?.accuracy ?? v.accuracy, ...(f1 === undefined ? {} : { f1 }) };
    }),
  }));
}
