/**
 * Load a Hugging Face T5 folder from any ModelSource: config.json, then model.safetensors or,
 * when a repo has none, pytorch_model.bin, then tokenizer.json (optional: test checkpoints have none).
 */
import { ModelFileError } from '../io/modelFileError';
import type { ModelSource, ReadOptions } from '../io/modelSource';
import { parseSafetensors } from '../io/safetensors';
import type { TensorStore } from '../io/tensorStore';
import { parseTorchCheckpoint } from '../io/torchCheckpoint';
import { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import { parseT5Config, type T5Config } from './t5Config';
import { T5Model } from './t5Model';
import { loadT5Weights } from './t5Weights';

export interface LoadedT5 {
  config: T5Config;
  model: T5Model;
  tokenizer: T5Tokenizer | undefined;
  /** Which weights file was used. */
  weightsFile: string;
}

export interface LoadT5Options extends ReadOptions {
  /** Read this weights file instead of the default order (e.g. "model.bf16.safetensors"). */
  weightsFile?: string;
}

export async function readJson(source: ModelSource, file: string, options: ReadOptions = {}): Promise<unknown | undefined> {
  const bytes = await source.read(file, options);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ModelFileError('bad-config', 'is not valid JSON. Re-download it.', file);
  }
}

export function parseWeights(file: string, bytes: Uint8Array): TensorStore {
  return file.endsWith('.bin') ? parseTorchCheckpoint(bytes, file) : parseSafetensors(bytes, file);
}

/** The weights file to use and its parsed tensors. */
export async function readWeights(source: ModelSource, options: LoadT5Options = {}): Promise<TensorStore> {
  const candidates = options.weightsFile ? [options.weightsFile] : ['model.safetensors', 'pytorch_model.bin'];
  for (const file of candidates) {
    const bytes = await source.read(file, options);
    if (bytes) return parseWeights(file, bytes);
  }
  if (!options.weightsFile && (await source.read('model.safetensors.index.json', options))) {
    throw new ModelFileError('unsupported-format', 'the weights are sharded (model.safetensors.index.json); pick a small T5 whose weights are one file.', 'model.safetensors');
  }
  throw new ModelFileError('missing-file', `${source.description} has no ${candidates.join(' or ')}. A model folder needs config.json and one weights file.`);
}

export async function loadT5(source: ModelSource, options: LoadT5Options = {}): Promise<LoadedT5> {
  const configJson = await readJson(source, 'config.json', options);
  if (configJson === undefined) {
    throw new ModelFileError('missing-file', `${source.description} has no config.json. Open the whole model folder (config.json, model.safetensors, tokenizer.json).`, 'config.json');
  }
  const config = parseT5Config(configJson);
  const store = await readWeights(source, options);
  const tokenizerJson = await readJson(source, 'tokenizer.json', options);
  const tokenizer = tokenizerJson === undefined ? undefined : T5Tokenizer.fromJson(tokenizerJson, await readJson(source, 'tokenizer_config.json', options));
  return { config, model: new T5Model(config, loadT5Weights(store, config)), tokenizer, weightsFile: store.fileName };
}
