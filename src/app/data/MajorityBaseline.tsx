/**
 * The accuracy of always answering the most frequent label, beside the class counts: the number a
 * trained prompt has to beat (on imbalanced data it is far above chance). data-value carries it
 * for the tests and for anything that draws it beside the accuracy chart.
 */
export function MajorityBaseline({ label, accuracy }: { label: string; accuracy: number }) {
  const pct = `${Number((100 * accuracy).toFixed(1))}%`;
  return (
    <p className="data-baseline" data-testid="majority-baseline" data-value={accuracy}>
      Always answering ‘{label}’ scores <strong>{pct}</strong>: the accuracy to beat.
    </p>
  );
}
