/**
 * The app's own prompt file, `*.prompt.safetensors`: one F32 tensor `prompt_embeddings`
 * [P, d_model] and the training facts as safetensors `__metadata__` strings (the format only
 * allows strings, so lists and records are JSON). Any safetensors tool can open it.
 */
import { isStoredDtype } from '../io/dtype';
import { clip } from '../io/jsonPreview';
import { parseTaskKind } from '../task/taskKind';
import { parseSafetensors, writeSafetensors, type SafetensorsFile } from '../io/safetensors';
import { PromptFileError, wrapModelFileError } from './promptFileError';
import { checkFinite, type PromptMetadata, type SoftPrompt, type SoftPromptFile } from './softPrompt';

export const PROMPT_TENSOR = 'prompt_embeddings';
export const PROMPT_FILE_SUFFIX = '.prompt.safetensors';

/**
 * Metadata as callers give it to the writers: format is implied, dModel defaults to the prompt's
 * width, and validation may have gaps (no validation split yet); missing metrics are left out.
 */
export type PromptMetadataInput = Omit<PromptMetadata, 'format' | 'dModel' | 'validation'> &
  Partial<Pick<PromptMetadata, 'format' | 'dModel'>> & { validation?: Record<string, number | undefined> };

/** A download name: the given name made file-system safe, with the conventional suffix. */
export function promptFileName(name: string): string {
  const base = name.trim().replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_') || 'prompt';
  return base.endsWith(PROMPT_FILE_SUFFIX) ? base : `${base}${PROMPT_FILE_SUFFIX}`;
}

export function writePromptFile(prompt: SoftPrompt, metadata: PromptMetadataInput): Uint8Array {
  checkPromptShape(prompt);
  checkFinite(prompt.values, prompt.width);
  if (metadata.dModel !== undefined && metadata.dModel !== prompt.width) {
    throw new PromptFileError('bad-metadata', `metadata says d_model ${metadata.dModel} but the prompt is ${prompt.width} wide.`);
  }
  const tensors = { [PROMPT_TENSOR]: { shape: [prompt.length, prompt.width], data: prompt.values } };
  return writeSafetensors(tensors, encodeMetadata({ ...metadata, format: 'pt', dModel: prompt.width }));
}

export function readPromptFile(bytes: Uint8Array, fileName = 'prompt file'): SoftPromptFile {
  const file = wrapModelFileError(fileName, () => parseSafetensors(bytes, fileName));
  const notes: string[] = [];
  const prompt = readPromptEmbeddings(file, fileName, notes);
  const metadata = decodeMetadata(file.metadata, prompt.width, fileName, notes);
  return { prompt, metadata, source: 'prompt', notes };
}

/** The `prompt_embeddings` tensor, checked: present, rank 2, non-empty, floating point, finite. */
export function readPromptEmbeddings(file: SafetensorsFile, fileName: string, notes: string[]): SoftPrompt {
  const info = file.entries.get(PROMPT_TENSOR);
  if (!info) {
    const names = file.names();
    throw new PromptFileError(
      'missing-tensor',
      `no "${PROMPT_TENSOR}" tensor (the file holds ${names.length ? listTensors(names) : 'no tensors'}). ` +
        'Expected a prompt exported by this app or a PEFT prompt-tuning adapter.',
      fileName,
    );
  }
  if (info.shape.length !== 2 || info.shape[0] === 0 || info.shape[1] === 0) {
    throw new PromptFileError('bad-shape', `"${PROMPT_TENSOR}" has shape [${info.shape.join(', ')}]; a prompt is [tokens, d_model] with both above 0.`, fileName);
  }
  if (!isStoredDtype(info.dtype)) {
    throw new PromptFileError('bad-dtype', `"${PROMPT_TENSOR}" has dtype ${clip(info.dtype)}; a prompt must be floating point (F32, F16, BF16 or F64).`, fileName);
  }
  if (info.dtype !== 'F32') notes.push(`the prompt was stored as ${info.dtype}; it was converted to float32.`);
  const [length, width] = info.shape as [number, number];
  const values = wrapModelFileError(fileName, () => file.readF32(PROMPT_TENSOR));
  checkFinite(values, width, fileName);
  return { length, width, values };
}

/** '"a", "b" and 3 more': tensor names for a message, a few and each cut short. */
function listTensors(names: string[]): string {
  const shown = names.slice(0, 10).map((n) => `"${clip(n)}"`).join(', ');
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}

function checkPromptShape(p: SoftPrompt): void {
  const ok = Number.isSafeInteger(p.length) && Number.isSafeInteger(p.width) && p.length > 0 && p.width > 0;
  if (!ok || p.values.length !== p.length * p.width) {
    throw new PromptFileError('bad-shape', `a ${p.length} × ${p.width} prompt needs ${p.length * p.width} values but has ${p.values.length}.`);
  }
}

/** PromptMetadata → safetensors `__metadata__` (string values only; absent fields are left out). */
export function encodeMetadata(m: PromptMetadataInput & { dModel: number }): Record<string, string> {
  const out: Record<string, string> = { format: 'pt', d_model: String(m.dModel) };
  if (m.baseModel !== undefined) out.base_model = m.baseModel;
  if (m.labels !== undefined) out.labels = JSON.stringify(m.labels);
  // The data's label → the text trained for it, e.g. {"1": "positive", "-1": "negative"}.
  if (m.labelValues !== undefined && m.labels !== undefined && m.labelValues.length === m.labels.length) {
    out.label_map = JSON.stringify(Object.fromEntries(m.labelValues.map((v, i) => [v, m.labels![i]])));
  }
  if (m.template !== undefined) out.template = m.template;
  if (m.task !== undefined) out.task = m.task;
  if (m.init !== undefined) out.init = m.init;
  if (m.initSeed !== undefined) out.init_seed = String(m.initSeed);
  if (m.steps !== undefined) out.steps = String(m.steps);
  if (m.validation !== undefined) {
    out.validation = JSON.stringify(Object.fromEntries(Object.entries(m.validation).filter(([, v]) => typeof v === 'number')));
  }
  out.created = m.created ?? new Date().toISOString();
  return out;
}

/**
 * `__metadata__` → PromptMetadata. The tensor is what matters, so a damaged optional field is
 * dropped with a note rather than refusing the prompt; only a d_model contradicting the tensor is an error.
 */
export function decodeMetadata(raw: Record<string, string>, width: number, fileName: string, notes: string[]): PromptMetadata {
  const m: PromptMetadata = { format: 'pt', dModel: width };
  if (raw.d_model !== undefined && Number(raw.d_model) !== width) {
    throw new PromptFileError(
      'bad-metadata',
      `the metadata says d_model ${clip(raw.d_model, 40)} but "${PROMPT_TENSOR}" is ${width} wide; the file is inconsistent. Export the prompt again.`,
      fileName,
    );
  }
  const ignore = (field: string, why: string) => notes.push(`the "${field}" metadata ${why}; it was ignored.`);
  if (raw.base_model !== undefined) m.baseModel = raw.base_model;
  if (raw.template !== undefined) m.template = raw.template;
  if (raw.task !== undefined) {
    const task = parseTaskKind(raw.task);
    if (task) m.task = task;
    else ignore('task', `("${clip(raw.task, 40)}") is neither classify nor text`);
  }
  if (raw.init !== undefined) m.init = raw.init;
  if (raw.created !== undefined) m.created = raw.created;
  if (raw.labels !== undefined) {
    const labels = parseJson(raw.labels);
    if (Array.isArray(labels) && labels.every((l) => typeof l === 'string')) m.labels = labels;
    else ignore('labels', 'is not a JSON list of strings');
  }
  if (raw.label_map !== undefined) {
    const values = labelValues(parseJson(raw.label_map), m.labels);
    if (values) m.labelValues = values;
    else ignore('label_map', 'is not a JSON object giving each of the labels one value');
  }
  if (raw.init_seed !== undefined) {
    const seed = Number(raw.init_seed);
    if (raw.init_seed.trim() !== '' && Number.isSafeInteger(seed) && seed >= 0) m.initSeed = seed;
    else ignore('init_seed', `("${clip(raw.init_seed, 40)}") is not a whole number`);
  }
  if (raw.steps !== undefined) {
    const steps = Number(raw.steps);
    if (raw.steps.trim() !== '' && Number.isSafeInteger(steps) && steps >= 0) m.steps = steps;
    else ignore('steps', `("${raw.steps}") is not a whole number`);
  }
  if (raw.validation !== undefined) {
    const v = parseJson(raw.validation);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      // JSON turns NaN into null; keep only real numbers.
      m.validation = Object.fromEntries(Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number'));
    } else ignore('validation', 'is not a JSON object');
  }
  return m;
}

/** `label_map` ({value: text}) read back in the order of `labels`: each text must come from exactly one value. */
function labelValues(map: unknown, labels: string[] | undefined): string[] | undefined {
  if (!labels || !map || typeof map !== 'object' || Array.isArray(map)) return undefined;
  const entries = Object.entries(map);
  const values = labels.map((text) => entries.filter(([, t]) => t === text).map(([v]) => v));
  return values.every((v) => v.length === 1) && entries.length === labels.length ? values.map((v) => v[0]!) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
