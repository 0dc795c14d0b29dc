/**
 * Interop with Hugging Face PEFT prompt-tuning adapters (`PromptTuningConfig`): a folder holding
 * `adapter_model.safetensors` (tensor `prompt_embeddings`, [num_virtual_tokens *
 * num_transformer_submodules, token_dim]) and `adapter_config.json`. PEFT prepends the first
 * num_virtual_tokens rows to the encoder input; with 2 submodules (its default for seq2seq) the
 * rest go to the decoder, which Lester et al.'s prompt tuning, and this app, do not use.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { clip, jsonPreview } from '../io/jsonPreview';
import { parseSafetensors } from '../io/safetensors';
import { PROMPT_FILE_SUFFIX, PROMPT_TENSOR, decodeMetadata, readPromptEmbeddings, readPromptFile, writePromptFile, type PromptMetadataInput } from './promptFile';
import { PromptFileError, wrapModelFileError } from './promptFileError';
import type { PromptMetadata, SoftPrompt, SoftPromptFile } from './softPrompt';

// Re-exported so callers that import a prompt can check it against the model from one module.
export { checkPromptWidth } from './softPrompt';

/** Deflate expands at most ~1032x; a larger declared size is a lie we must not allocate for. */
const MAX_DEFLATE_RATIO = 1032;
/** The smallest possible zip central directory record. */
const MIN_CENTRAL_RECORD = 46;

export const ADAPTER_WEIGHTS = 'adapter_model.safetensors';
export const ADAPTER_CONFIG = 'adapter_config.json';

export interface PeftExportOptions {
  /** The model's attention heads and layers; PEFT fills them from the model's config when absent. */
  numAttentionHeads?: number;
  numLayers?: number;
}

export function readPeftAdapter(safetensorsBytes: Uint8Array, adapterConfigJson: unknown): SoftPromptFile {
  const config = parseConfig(adapterConfigJson);
  const peftType = config.peft_type;
  if (peftType !== 'PROMPT_TUNING') {
    throw new PromptFileError(
      'not-prompt-tuning',
      `peft_type is ${jsonPreview(peftType ?? null)}, not "PROMPT_TUNING". Only prompt-tuning adapters hold a soft prompt this app can use; ` +
        'LoRA, prefix tuning, P-tuning and other adapters change the model in other ways.',
      ADAPTER_CONFIG,
    );
  }
  const tokens = positiveInt(config, 'num_virtual_tokens');
  const tokenDim = positiveInt(config, 'token_dim');

  const file = wrapModelFileError(ADAPTER_WEIGHTS, () => parseSafetensors(safetensorsBytes, ADAPTER_WEIGHTS));
  const notes: string[] = [];
  const all = readPromptEmbeddings(file, ADAPTER_WEIGHTS, notes);

  // PEFT fills num_transformer_submodules in before saving; if a hand-written config lacks it,
  // infer it from the rows (PEFT's own default is 2 for SEQ_2_SEQ_LM, 1 otherwise).
  const rawSub = config.num_transformer_submodules;
  const submodules = rawSub === undefined || rawSub === null ? (all.length === 2 * tokens ? 2 : 1) : rawSub;
  if (submodules !== 1 && submodules !== 2) {
    throw new PromptFileError('bad-config', `num_transformer_submodules is ${jsonPreview(rawSub)}; PEFT only uses 1 or 2.`, ADAPTER_CONFIG);
  }
  if (all.length !== tokens * submodules) {
    throw new PromptFileError(
      'bad-shape',
      `"${PROMPT_TENSOR}" has ${all.length} rows but adapter_config.json says num_virtual_tokens ${tokens} × num_transformer_submodules ${submodules} = ${tokens * submodules}. ` +
        'The two files do not belong together.',
      ADAPTER_WEIGHTS,
    );
  }
  if (all.width !== tokenDim) {
    throw new PromptFileError(
      'bad-shape',
      `"${PROMPT_TENSOR}" is ${all.width} wide but adapter_config.json says token_dim ${tokenDim}. The two files do not belong together.`,
      ADAPTER_WEIGHTS,
    );
  }
  if (submodules === 2) {
    notes.push(`the adapter holds 2 prompts (encoder and decoder); using the first ${tokens} rows as the encoder prompt.`);
  }
  if (typeof config.task_type === 'string' && config.task_type !== 'SEQ_2_SEQ_LM') {
    notes.push(`the adapter was made for task_type ${config.task_type}, not SEQ_2_SEQ_LM; it may not have been trained on a T5-style model.`);
  }
  const prompt: SoftPrompt = { length: tokens, width: all.width, values: all.values.slice(0, tokens * all.width) };

  // Adapters exported by this app carry our metadata in the safetensors header; PEFT's own have only {format: "pt"}.
  const metadata: PromptMetadata = decodeMetadata(file.metadata, all.width, ADAPTER_WEIGHTS, notes);
  if (metadata.baseModel === undefined && typeof config.base_model_name_or_path === 'string') metadata.baseModel = config.base_model_name_or_path;
  if (metadata.init === undefined && typeof config.prompt_tuning_init === 'string') metadata.init = config.prompt_tuning_init;
  return { prompt, metadata, source: 'peft', notes };
}

/** A zip a PEFT user can unpack into a folder and load with `PeftModel.from_pretrained(model, folder)`. */
export function exportPeftZip(file: SoftPromptFile, options?: PeftExportOptions): Uint8Array;
export function exportPeftZip(prompt: SoftPrompt, metadata: PromptMetadataInput, options?: PeftExportOptions): Uint8Array;
export function exportPeftZip(a: SoftPromptFile | SoftPrompt, b?: PromptMetadataInput | PeftExportOptions, c?: PeftExportOptions): Uint8Array {
  const [prompt, metadata, options] = 'prompt' in a ? [a.prompt, a.metadata, b as PeftExportOptions | undefined] : [a, b as PromptMetadataInput, c];
  // Our prompt file is already a valid adapter_model.safetensors (tensor prompt_embeddings, format "pt");
  // PEFT ignores the extra metadata, and keeping it lets labels and template survive a round trip.
  const weights = writePromptFile(prompt, metadata);
  return zipSync({
    [ADAPTER_WEIGHTS]: weights,
    [ADAPTER_CONFIG]: strToU8(JSON.stringify(peftConfig(prompt, metadata, options ?? {}), null, 2)),
  });
}

/**
 * The fields PEFT's PromptTuningConfig.to_dict() writes, keys sorted as PEFT's save_pretrained
 * sorts them. Left out on purpose: `peft_version` (PEFT fills it in on load) and `modules_to_save`
 * (added in 2025): PEFT releases before late 2024 reject keys they do not know.
 */
function peftConfig(prompt: SoftPrompt, metadata: PromptMetadataInput, options: PeftExportOptions): Record<string, unknown> {
  return {
    auto_mapping: null,
    base_model_name_or_path: metadata.baseModel ?? null,
    inference_mode: true,
    num_attention_heads: options.numAttentionHeads ?? null,
    num_layers: options.numLayers ?? null,
    // 1: the prompt goes in front of the encoder input only, as in Lester et al.
    num_transformer_submodules: 1,
    num_virtual_tokens: prompt.length,
    peft_type: 'PROMPT_TUNING',
    // Our inits (random, vocab, labels) have no PEFT equivalent; init only matters before training anyway.
    prompt_tuning_init: 'RANDOM',
    prompt_tuning_init_text: null,
    revision: null,
    task_type: 'SEQ_2_SEQ_LM',
    token_dim: prompt.width,
    tokenizer_kwargs: null,
    tokenizer_name_or_path: null,
  };
}

export function readPeftZip(zipBytes: Uint8Array, fileName = 'zip file'): SoftPromptFile {
  let entries: Record<string, Uint8Array>;
  let count = 0;
  const damaged = (why: string): never => {
    throw new PromptFileError('bad-zip', `${why}. The file is damaged or not a zip.`, fileName);
  };
  try {
    // Decompress only the two files we need: Hub folders can also hold large unrelated files.
    entries = unzipSync(zipBytes, {
      filter: (f) => {
        // A damaged directory can claim billions of entries (each loop turn reads garbage); real ones need 46+ bytes each.
        if (++count > zipBytes.length / MIN_CENTRAL_RECORD) damaged('its directory lists more entries than the file can hold');
        if (!isAdapterFile(f.name)) return false;
        // Sizes are allocated before anything is inflated: refuse ones the file cannot back.
        if (f.size > zipBytes.length) damaged(`${clip(f.name)} claims ${f.size} compressed bytes but the zip has only ${zipBytes.length}`);
        if (f.compression === 8 && f.originalSize > f.size * MAX_DEFLATE_RATIO + 1024) damaged(`${clip(f.name)} claims an impossible uncompressed size`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof PromptFileError) throw e;
    throw new PromptFileError('bad-zip', `could not unzip it (${e instanceof Error ? e.message : String(e)}). The file is damaged or not a zip.`, fileName, { cause: e });
  }
  const byDir = new Map<string, { weights?: Uint8Array; config?: Uint8Array }>();
  for (const [path, data] of Object.entries(entries)) {
    const slash = path.lastIndexOf('/');
    const slot = byDir.get(path.slice(0, slash + 1)) ?? {};
    if (baseName(path) === ADAPTER_WEIGHTS) slot.weights = data;
    else slot.config = data;
    byDir.set(path.slice(0, slash + 1), slot);
  }
  const pairs = [...byDir.entries()].filter(([, s]) => s.weights && s.config);
  if (pairs.length > 1) {
    throw new PromptFileError('unrecognised-files', `it holds ${pairs.length} adapters (in ${pairs.map(([d]) => d || '/').join(', ')}); zip one adapter at a time.`, fileName);
  }
  const pair = pairs[0]?.[1];
  if (!pair?.weights || !pair.config) {
    throw new PromptFileError('unrecognised-files', `it does not hold ${ADAPTER_WEIGHTS} and ${ADAPTER_CONFIG} side by side. ${EXPECTED}`, fileName);
  }
  return readPeftAdapter(pair.weights, pair.config);
}

const EXPECTED =
  `Import a prompt file (*${PROMPT_FILE_SUFFIX}), a PEFT prompt-tuning adapter (${ADAPTER_WEIGHTS} together with ${ADAPTER_CONFIG}), or a zip of that adapter.`;

/** Whatever the user dropped or picked: one prompt file, a PEFT adapter folder's files, or a zip of one. */
export function importPrompt(files: Array<{ name: string; bytes: Uint8Array }>): SoftPromptFile {
  if (files.length === 0) throw new PromptFileError('unrecognised-files', `no files were given. ${EXPECTED}`);
  const named = (n: string) => files.filter((f) => baseName(f.name) === n);
  const zips = files.filter((f) => isZip(f.bytes));
  const prompts = files.filter((f) => f.name.toLowerCase().endsWith(PROMPT_FILE_SUFFIX));
  const weights = named(ADAPTER_WEIGHTS);
  const configs = named(ADAPTER_CONFIG);
  const kinds = zips.length + prompts.length + Math.max(weights.length, configs.length);
  if (kinds > 1) {
    throw new PromptFileError('unrecognised-files', `${describe(files)} together hold more than one prompt; import one at a time. ${EXPECTED}`);
  }
  if (zips[0]) return readPeftZip(zips[0].bytes, zips[0].name);
  if (prompts[0]) return readPromptFile(prompts[0].bytes, prompts[0].name);
  if (weights[0] && configs[0]) return readPeftAdapter(weights[0].bytes, configs[0].bytes);
  if (weights[0]) throw new PromptFileError('unrecognised-files', `${ADAPTER_WEIGHTS} needs the ${ADAPTER_CONFIG} saved next to it; select both files.`);
  if (configs[0]) throw new PromptFileError('unrecognised-files', `${ADAPTER_CONFIG} needs the ${ADAPTER_WEIGHTS} saved next to it; select both files.`);
  if (named('adapter_model.bin').length > 0) {
    throw new PromptFileError('unrecognised-files', `adapter_model.bin (a PyTorch pickle) is not supported; save the adapter with safe_serialization=True to get ${ADAPTER_WEIGHTS}.`);
  }
  // A lone .safetensors renamed by the user or the browser ("x.prompt (1).safetensors"): try it as a prompt file.
  const only = files.length === 1 ? files[0] : undefined;
  if (only && only.name.toLowerCase().endsWith('.safetensors')) return readPromptFile(only.bytes, only.name);
  throw new PromptFileError('unrecognised-files', `${describe(files)} ${files.length === 1 ? 'is' : 'are'} not a prompt. ${EXPECTED}`);
}

function parseConfig(json: unknown): Record<string, unknown> {
  let value = json;
  if (json instanceof Uint8Array || typeof json === 'string') {
    const text = typeof json === 'string' ? json : strFromU8(json);
    try {
      value = JSON.parse(text);
    } catch {
      throw new PromptFileError('bad-config', 'is not valid JSON. Use the adapter_config.json PEFT saved with the adapter.', ADAPTER_CONFIG);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new PromptFileError('bad-config', 'is not a JSON object. Use the adapter_config.json PEFT saved with the adapter.', ADAPTER_CONFIG);
  }
  return value as Record<string, unknown>;
}

function positiveInt(config: Record<string, unknown>, key: string): number {
  const v = config[key];
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  throw new PromptFileError('bad-config', `"${key}" is ${jsonPreview(v ?? null)}; it must be a positive whole number.`, ADAPTER_CONFIG);
}

function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).toLowerCase();
}

function isAdapterFile(path: string): boolean {
  const name = baseName(path);
  return !path.startsWith('__MACOSX/') && (name === ADAPTER_WEIGHTS || name === ADAPTER_CONFIG);
}

/** Zip local-file-header magic, so a renamed or extension-less zip is still recognised. */
function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function describe(files: Array<{ name: string }>): string {
  return files.map((f) => `"${f.name}"`).join(', ');
}
