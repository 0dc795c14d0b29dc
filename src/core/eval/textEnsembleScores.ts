/**
 * The scores of a text-to-text ensemble's answers, from the answers alone (no model): each
 * member's exact match and F1, their mean and best, and the two combinations, the majority vote
 * and the most confident answer. evaluateText reports these; tests build the answers by hand.
 */
import { textScores, type TextScores } from './textMetrics';

/** One input's answers: what predictText returns, less what scoring does not read. */
export interface CombinedAnswers {
  /** Each member's answer, in prompt order. */
  members: string[];
  /** The majority vote's answer. */
  answer: string;
  /** The answer of the member with the highest mean log-probability. */
  confident: string;
}

export interface TextEnsembleScores {
  members: TextScores[];
  mean: TextScores;
  /** The member with the best exact match (ties: the better F1). */
  best: TextScores;
  /** The majority vote (the only member's scores for one prompt). */
  ensemble: TextScores;
  /** The most confident answer (the only member's scores for one prompt). */
  confident: TextScores;
}

export function scoreTextAnswers(answers: readonly CombinedAnswers[], targets: readonly string[]): TextEnsembleScores {
  const K = Math.max(1, answers[0]?.members.length ?? 1);
  const members = Array.from({ length: K }, (_, k) => textScores(answers.map((a) => a.members[k] ?? ''), targets));
  const average = (f: (s: TextScores) => number) => members.reduce((s, m) => s + f(m), 0) / K;
  return {
    members,
    mean: { exactMatch: average((m) => m.exactMatch), f1: average((m) => m.f1) },
    best: members.reduce((b, m) => (m.exactMatch > b.exactMatch || (m.exactMatch === b.exactMatch && m.f1 > b.f1) ? m : b)),
    ensemble: textScores(answers.map((a) => a.answer), targets),
    confident: textScores(answers.map((a) => a.confident), targets),
  };
}
