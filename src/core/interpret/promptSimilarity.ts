/**
 * How alike several prompts are, as SPoT measures task similarity through prompts (Vu et al. 2022,
 * "SPoT: Better Frozen Model Adaptation through Soft Prompt Transfer"): the cosine of the
 * mean-pooled prompts, and the mean cosine of tokens at the same position. Prompts of different
 * lengths are compared over their common leading positions (tokens are prepended in order).
 */
import { cosine, meanRow, row, type Rows } from './rows';

export interface NamedPrompt {
  name: string;
  length: number;
  width: number;
  values: Rows;
}

export interface PromptSimilarity {
  names: string[];
  /** [i][j]: cosine of prompt i's and prompt j's mean token. */
  meanPooled: number[][];
  /** [i][j]: mean over positions t < min(P_i, P_j) of cosine(prompt i token t, prompt j token t). */
  tokenAligned: number[][];
}

export function tokenAlignedCosine(a: NamedPrompt, b: NamedPrompt): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let t = 0; t < n; t++) s += cosine(row(a.values, a.width, t), row(b.values, b.width, t));
  return n ? s / n : 0;
}

export function promptSimilarity(prompts: NamedPrompt[]): PromptSimilarity {
  const width = prompts[0]?.width;
  const other = prompts.find((p) => p.width !== width);
  if (other) throw new Error(`"${other.name}" is ${other.width} wide but "${prompts[0]!.name}" is ${width}: prompts of different models cannot be compared`);
  const means = prompts.map((p) => meanRow(p.values, p.width));
  const matrix = (f: (i: number, j: number) => number) => prompts.map((_, i) => prompts.map((_, j) => f(i, j)));
  return {
    names: prompts.map((p) => p.name),
    meanPooled: matrix((i, j) => cosine(means[i]!, means[j]!)),
    tokenAligned: matrix((i, j) => tokenAlignedCosine(prompts[i]!, prompts[j]!)),
  };
}
