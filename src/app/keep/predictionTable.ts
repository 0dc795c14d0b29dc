/**
 * The table "Label a CSV" downloads: the file's own columns, then the prediction. Kept apart from
 * KeepPanel so both kinds of prompt (class labels, generated text) are tested without a browser.
 */
import type { TextPrediction } from '../../core/eval/predictText';

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
