/**
 * The table "Label a CSV" downloads: the file's own columns, then the prediction. Kept apart from
 * KeepPanel so both kinds of prompt (class labels, generated text) are tested without a browser.
 */
import { detectColumns } from '../../core/data/columnDetection';
import type { CsvTable } from '../../core/data/csvTable';
import { findColumn } from '../../core/data/dataset';
import type { TextPrediction } from '../../core/eval/predictText';

/**
 * The column to read as the prompt's input: the training data's text column when the file has one
 * by that name, else the detected text column, else the column with the longest values (an "id"
 * column first must not become the input).
 */
export function inputColumn(table: Pick<CsvTable, 'columns' | 'rows'>, trainedOn?: string): string {
  const named = trainedOn === undefined ? undefined : findColumn(table.columns, trainedOn);
  if (named) return named;
  const detected = detectColumns(table as CsvTable)?.text;
  if (detected) return detected;
  const length = (i: number) => table.rows.reduce((sum, r) => sum + (r[i]?.length ?? 0), 0);
  return table.columns.reduce((best, c, i) => (length(i) > length(table.columns.indexOf(best)) ? c : best), table.columns[0]!);
}

export interface ClassPredictions {
  results: Array<{ answer: number; votes: number[]; probabilities: number[] }>;
}

/** Class predictions: `labels` are the data's own labels (e.g. "1"), indexed as the prompt's classes. */
export function classPredictionTable(columns: string[], rows: string[][], reply: ClassPredictions, labels: string[]): string[][] {
  const several = (reply.results[0]?.votes.length ?? 1) > 1;
  const header = [...columns, 'prediction', 'confidence', ...(several ? reply.results[0]!.votes.map((_, k) => `vote_${k + 1}`) : [])];
  return [
    header,
    ...rows.map((r, i) => {
      const res = reply.results[i]!;
      return [...r, labels[res.answer]!, res.probabilities[res.answer]!.toFixed(4), ...(several ? res.votes.map((v) => labels[v]!) : [])];
    }),
  ];
}

/**
 * Generated answers: the answer (the vote for an ensemble), and for an ensemble also the most
 * confident member's answer and each member's; `cut` says the answer hit the length limit.
 */
export function textPredictionTable(columns: string[], rows: string[][], results: TextPrediction[]): string[][] {
  const several = (results[0]?.members.length ?? 1) > 1;
  const memberColumns = several ? results[0]!.members.map((_, k) => `answer_${k + 1}`) : [];
  const header = [...columns, 'prediction', ...(several ? ['most_confident', ...memberColumns] : []), 'cut'];
  return [
    header,
    ...rows.map((r, i) => {
      const res = results[i]!;
      return [...r, res.answer, ...(several ? [res.confident, ...res.members] : []), res.cut > 0 ? 'yes' : ''];
    }),
  ];
}
