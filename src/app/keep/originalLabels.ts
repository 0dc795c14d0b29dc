/**
 * Predictions in the data's own labels: the worker answers with the texts a prompt was trained to
 * write ("positive"), but a labelled file is written back with the labels it came with ("1").
 * The mapping comes from the run just trained, from an imported prompt file that records it
 * (its `label_map`), or from the label table of the data in the Data step. DOM-free.
 */

export interface LabelMapping {
  /** The data's labels, one per target text. */
  labels: readonly string[];
  targetTexts: readonly string[];
}

/**
 * The data's label for each target text, from the first mapping that covers exactly these texts
 * (each text from one label; order does not matter: a record's integer-like keys come first); else the texts.
 */
export function originalLabels(texts: readonly string[], mappings: ReadonlyArray<LabelMapping | undefined>): string[] {
  for (const m of mappings) {
    if (!m || m.labels.length !== texts.length || m.targetTexts.length !== texts.length) continue;
    const labelOf = new Map(m.targetTexts.map((t, i) => [t, m.labels[i]!]));
    if (labelOf.size === texts.length && texts.every((t) => labelOf.has(t))) return texts.map((t) => labelOf.get(t)!);
  }
  return [...texts];
}

/** A label → text record (the Data step's label table) as a mapping. */
export function mappingFromTexts(labelTexts: Readonly<Record<string, string>> | undefined): LabelMapping | undefined {
  if (!labelTexts) return undefined;
  const entries = Object.entries(labelTexts);
  return { labels: entries.map(([label]) => label), targetTexts: entries.map(([, text]) => text) };
}
