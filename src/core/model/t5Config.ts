/**
 * The subset of a Hugging Face T5 `config.json` the model needs, validated, with the same
 * defaults `transformers.T5Config` applies when a field is absent.
 */
import { ModelFileError } from '../io/modelFileError';
import { jsonPreview } from '../io/jsonPreview';

export type DenseActivation = 'relu' | 'gelu_new' | 'gelu';

export interface T5Config {
  vocabSize: number;
  dModel: number;
  dKv: number;
  numHeads: number;
  dFf: number;
  numLayers: number;
  numDecoderLayers: number;
  numBuckets: number;
  maxDistance: number;
  layerNormEps: number;
  /** `gated-gelu` → gated with gelu_new (tanh approximation), `relu` → plain ReLU, etc. */
  isGated: boolean;
  activation: DenseActivation;
  tieWordEmbeddings: boolean;
  dropoutRate: number;
  padTokenId: number;
  eosTokenId: number;
  decoderStartTokenId: number;
}

const FILE = 'config.json';

/**
 * More encoder or decoder layers than any T5 has (the largest have 24): the loader lists every
 * layer's parameters before reading a weight, so `num_layers: 1e9` must be refused here.
 */
export const MAX_LAYERS = 1000;

export function parseT5Config(json: unknown): T5Config {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelFileError('bad-config', 'is not a JSON object. Use the config.json of a T5 model.', FILE);
  }
  const c = json as Record<string, unknown>;
  if (typeof c.model_type === 'string' && !['t5', 'mt5', 'umt5'].includes(c.model_type)) {
    throw new ModelFileError('bad-config', `model_type is "${c.model_type}", not a T5 model. Pick a T5 checkpoint (e.g. google/t5-base-lm-adapt).`, FILE);
  }
  const int = (key: string, fallback?: number): number => {
    const v = c[key] ?? fallback;
    if (v === undefined) throw new ModelFileError('bad-config', `the field "${key}" is missing. A T5 config needs it.`, FILE);
    // Safe integers only: 1e300 is an "integer" to JavaScript, but no size or id is that big.
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new ModelFileError('bad-config', `the field "${key}" must be a non-negative integer, found ${jsonPreview(v)}.`, FILE);
    }
    return v;
  };
  const num = (key: string, fallback: number): number => {
    const v = c[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelFileError('bad-config', `the field "${key}" must be a number, found ${jsonPreview(v)}.`, FILE);
    return v;
  };
  const proj = c.feed_forward_proj ?? 'relu';
  if (typeof proj !== 'string') throw new ModelFileError('bad-config', `feed_forward_proj must be a string, found ${jsonPreview(proj)}.`, FILE);
  const parts = proj.split('-');
  const isGated = parts[0] === 'gated';
  const actName = parts[parts.length - 1];
  if (parts.length > 2 || (parts.length === 2 && !isGated) || (actName !== 'relu' && actName !== 'gelu')) {
    throw new ModelFileError('bad-config', `feed_forward_proj "${proj}" is not supported; expected relu, gelu, gated-relu or gated-gelu.`, FILE);
  }
  // As in transformers: "gated-gelu" means the tanh approximation (gelu_new).
  const activation: DenseActivation = actName === 'relu' ? 'relu' : isGated ? 'gelu_new' : 'gelu';
  const numLayers = int('num_layers');
  const config: T5Config = {
    vocabSize: int('vocab_size'),
    dModel: int('d_model'),
    dKv: int('d_kv'),
    numHeads: int('num_heads'),
    dFf: int('d_ff'),
    numLayers,
    numDecoderLayers: int('num_decoder_layers', numLayers),
    numBuckets: int('relative_attention_num_buckets', 32),
    maxDistance: int('relative_attention_max_distance', 128),
    layerNormEps: num('layer_norm_epsilon', 1e-6),
    isGated,
    activation,
    tieWordEmbeddings: c.tie_word_embeddings === undefined ? true : Boolean(c.tie_word_embeddings),
    dropoutRate: num('dropout_rate', 0.1),
    padTokenId: int('pad_token_id', 0),
    eosTokenId: int('eos_token_id', 1),
    decoderStartTokenId: int('decoder_start_token_id', 0),
  };
  for (const key of ['vocabSize', 'dModel', 'dKv', 'numHeads', 'dFf', 'numLayers', 'numDecoderLayers', 'numBuckets'] as const) {
    if (config[key] === 0) throw new ModelFileError('bad-config', `${key} is 0; a T5 model needs it positive.`, FILE);
  }
  for (const [key, layers] of [['num_layers', config.numLayers], ['num_decoder_layers', config.numDecoderLayers]] as const) {
    if (layers > MAX_LAYERS) throw new ModelFileError('bad-config', `${key} is ${layers}; no T5 model has more than a few dozen layers (this app reads at most ${MAX_LAYERS}).`, FILE);
  }
  return config;
}
