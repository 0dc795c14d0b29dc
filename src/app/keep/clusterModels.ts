/**
 * The models a cluster job can target, as the Keep panel's picker lists them. Apart from
 * clusterJob.ts, which the panel loads only on download: it carries train.py and the zip writer,
 * which the first page load should not.
 */
import { findKnownT5, KNOWN_T5, type KnownT5 } from '../../core/model/t5Catalogue';

/** What the cluster can train, biggest last, grouped as the picker shows them. */
export const CLUSTER_MODELS: ReadonlyArray<{ family: string; models: KnownT5[] }> = [
  { family: 'T5 v1.1 LM-adapted (the paper’s models)', models: KNOWN_T5.filter((m) => m.family === 'lm-adapt') },
  { family: 'Flan-T5', models: KNOWN_T5.filter((m) => m.family === 'flan-t5') },
  { family: 'T5 v1.1', models: KNOWN_T5.filter((m) => m.family === 't5-v1_1') },
  { family: 'T5 (original)', models: KNOWN_T5.filter((m) => m.family === 't5') },
];

/** The model loaded in the studio when the cluster knows it, else Flan-T5 large. */
export function defaultClusterModel(loaded: string | undefined): string {
  return (loaded && findKnownT5(loaded)?.id) || 'google/flan-t5-large';
}

/** The known T5s a prompt of this width fits (a prompt only fits a model of its own d_model). */
export function modelsOfWidth(width: number): string[] {
  return KNOWN_T5.filter((m) => m.config.dModel === width).map((m) => m.id);
}

/** Why a prompt of `width` cannot start a job on `modelId`, with both numbers and the models it fits; undefined when it can (or the model is unknown). */
export function warmStartMismatch(width: number, modelId: string): string | undefined {
  const model = findKnownT5(modelId);
  if (!model || model.config.dModel === width) return undefined;
  const fits = modelsOfWidth(width);
  return `The current prompt is ${width} wide but ${model.id} has d_model ${model.config.dModel}: a prompt only fits a model of its own width. ${fits.length ? `Pick one with d_model ${width} (${fits.join(', ')})` : `No known T5 has d_model ${width}`}, or leave the prompt out.`;
}
