/** The prompt-design baseline as a reference line on the accuracy chart (the chart's `baselines` prop). DOM-free. */
import type { ChartBaseline } from '../charts';
import type { BaselineState } from '../studio/studioState';

export function promptDesignLine(score: BaselineState | undefined): ChartBaseline[] {
  if (!score) return [];
  const what = score.kind === 'text' ? 'exact match' : 'accuracy';
  return [{ label: `prompt design “${score.template}” (${what}, no soft prompt)`, value: score.score }];
}

/** "Prompt design (…): 61.0% accuracy on 40 validation rows". */
export function promptDesignSentence(score: BaselineState, rows: string): string {
  const f1 = score.f1 !== undefined ? `, F1 ${(100 * score.f1).toFixed(1)}%` : '';
  return `Prompt design (frozen model, template “${score.template}”, no soft prompt): ${(100 * score.score).toFixed(1)}% ${score.kind === 'text' ? 'exact match' : 'accuracy'}${f1} on ${score.n} ${rows}`;
}
