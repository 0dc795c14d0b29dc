/**
 * An ensemble's generated answer, combined the two ways the paper reports for QA: the answer most
 * members gave, compared after normalisation (a tie goes to the answer whose voters had the
 * highest mean log-probability), or the one answer the model was most confident of.
 */
import { normalizeAnswer } from './textMetrics';

/**
 * @param keys each member's answer, already normalised (equal keys are the same answer)
 * @param confidences each member's mean token log-probability for its answer
 * @returns the index of the member whose answer wins (its most confident voter)
 */
export function voteAnswers(keys: readonly string[], confidences: readonly number[]): number {
  if (keys.length === 0 || keys.length !== confidences.length) throw new Error(`expected one confidence per answer, got ${keys.length} answers and ${confidences.length} confidences`);
  const groups = new Map<string, { count: number; sum: number; best: number }>();
  keys.forEach((key, k) => {
    const g = groups.get(key);
    if (!g) groups.set(key, { count: 1, sum: confidences[k]!, best: k });
    else {
      g.count++;
      g.sum += confidences[k]!;
      if (confidences[k]! > confidences[g.best]!) g.best = k;
    }
  });
  let winner: { count: number; sum: number; best: number } | undefined;
  for (const g of groups.values()) {
    if (!winner || g.count > winner.count || (g.count === winner.count && g.sum / g.count > winner.sum / winner.count)) winner = g;
  }
  return winner!.best;
}

/**
 * The other combination the paper reports for QA: the single answer the model was most sure of
 * (the highest mean token log-probability), whatever the other members said. Ties go to the first.
 * @returns the index of that member
 */
export function mostConfidentAnswer(confidences: readonly number[]): number {
  if (confidences.length === 0) throw new Error('expected at least one answer');
  return confidences.reduce((best, c, k) => (c > confidences[best]! ? k : best), 0);
}

/** One input's member answers (as text) combined both ways: the vote over normalised answers and the most confident. */
export function combineAnswers(members: readonly string[], confidences: readonly number[]): { answer: string; confident: string } {
  return { answer: members[voteAnswers(members.map(normalizeAnswer), confidences)]!, confident: members[mostConfidentAnswer(confidences)]! };
}
