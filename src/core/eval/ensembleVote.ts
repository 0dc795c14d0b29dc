/**
 * Combining K prompts' label scores (the paper's prompt ensembling): a majority vote with ties
 * broken by the mean log-likelihood, and the mean-probability alternative.
 */

export interface EnsembleDecision {
  /** Majority vote per example. */
  majority: number[];
  /** Argmax of the prompts' mean label probabilities (softmax over labels). */
  meanProbability: number[];
  /** Each prompt's own answer: votes[i][k]. */
  votes: number[][];
}

/** @param scores [K, n, numLabels] row-major log-likelihoods, as scoreEnsemble returns them. */
export function ensembleVote(scores: ArrayLike<number>, prompts: number, examples: number, numLabels: number): EnsembleDecision {
  if (scores.length !== prompts * examples * numLabels) throw new Error(`expected ${prompts}×${examples}×${numLabels} scores, got ${scores.length}`);
  const at = (k: number, i: number, l: number) => scores[(k * examples + i) * numLabels + l]!;
  const majority: number[] = [];
  const meanProbability: number[] = [];
  const votes: number[][] = [];
  for (let i = 0; i < examples; i++) {
    const counts = new Array<number>(numLabels).fill(0);
    const meanScore = new Array<number>(numLabels).fill(0);
    const meanProb = new Array<number>(numLabels).fill(0);
    const row: number[] = [];
    for (let k = 0; k < prompts; k++) {
      let best = 0;
      let max = -Infinity;
      for (let l = 0; l < numLabels; l++) {
        const s = at(k, i, l);
        meanScore[l]! += s / prompts;
        if (s > max) [max, best] = [s, l];
      }
      // softmax over labels, stabilised by the row's max
      let z = 0;
      for (let l = 0; l < numLabels; l++) z += Math.exp(at(k, i, l) - max);
      for (let l = 0; l < numLabels; l++) meanProb[l]! += Math.exp(at(k, i, l) - max) / z / prompts;
      counts[best]!++;
      row.push(best);
    }
    votes.push(row);
    majority.push(argmaxBy(numLabels, (a, b) => counts[a]! - counts[b]! || meanScore[a]! - meanScore[b]!));
    meanProbability.push(argmaxBy(numLabels, (a, b) => meanProb[a]! - meanProb[b]!));
  }
  return { majority, meanProbability, votes };
}

/** Index with the greatest value under `compare` (positive when a beats b); the first wins exact ties. */
function argmaxBy(n: number, compare: (a: number, b: number) => number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (compare(j, best) > 0) best = j;
  return best;
}
