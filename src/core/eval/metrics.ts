/** Classification metrics over label indices, defined everywhere (0 rather than NaN for empty classes). */

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** How many examples truly have this label. */
  support: number;
}

export interface ClassificationMetrics {
  accuracy: number;
  /** confusion[true][predicted] = count. */
  confusion: number[][];
  perClass: ClassMetrics[];
  /**
   * Mean F1 over the classes that occur in the truth or the predictions (as scikit-learn's
   * default), so a label absent from a small validation split does not count as a failure.
   */
  macroF1: number;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

export function classificationMetrics(truth: number[], predicted: number[], numLabels: number): ClassificationMetrics {
  if (truth.length !== predicted.length) throw new Error(`${truth.length} true labels but ${predicted.length} predictions`);
  const confusion = Array.from({ length: numLabels }, () => new Array<number>(numLabels).fill(0));
  let correct = 0;
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    if (!(t >= 0 && t < numLabels && p >= 0 && p < numLabels)) throw new Error(`label index out of range at ${i}: true ${t}, predicted ${p}`);
    confusion[t]![p]!++;
    if (t === p) correct++;
  });
  const perClass = confusion.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((s, r) => s + r[c]!, 0);
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support, predictedCount };
  });
  const present = perClass.filter((m) => m.support > 0 || m.predictedCount > 0);
  return {
    accuracy: ratio(correct, truth.length),
    confusion,
    perClass: perClass.map(({ predictedCount: _, ...m }) => m),
    macroF1: ratio(present.reduce((s, m) => s + m.f1, 0), present.length),
  };
}

/** A generated answer: the ids up to and including the first </s> (everything when there is none). */
export function answerIds(ids: number[], eosId: number): number[] {
  const end = ids.indexOf(eosId);
  return end < 0 ? ids : ids.slice(0, end + 1);
}

/** Exact match of a generation against a target (which ends with </s>), token ids compared. */
export function isExactMatch(generated: number[], target: number[], eosId: number): boolean {
  const a = answerIds(generated, eosId);
  const b = answerIds(target, eosId);
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
