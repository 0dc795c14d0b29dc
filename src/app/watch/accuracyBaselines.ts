/**
 * The reference accuracies the loss chart draws beside a run's validation accuracy (its
 * `baselines` prop): what a trained prompt has to beat. DOM-free.
 */
import type { ChartBaseline } from '../charts';
import type { DatasetChoice } from '../data/datasetChoice';

/** The majority-class baseline of the chosen data: always answering its most frequent label. */
export function majorityBaselineLine(dataset: Pick<DatasetChoice, 'majorityBaseline'> | undefined): ChartBaseline[] {
  if (!dataset || !dataset.majorityBaseline.label) return [];
  const { label, accuracy } = dataset.majorityBaseline;
  return [{ label: `majority class ‘${label}’`, value: accuracy }];
}
