/**
 * An ensemble's generated answer (the paper's prompt ensembling for QA): the answer most members
 * gave, compared after normalisation; a tie goes to the answer whose voters had the highest mean
 * log-probability.
 */

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
