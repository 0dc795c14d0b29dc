/**
 * The T5 checkpoints on the Hugging Face Hub whose shape is known without downloading anything:
 * the original T5 (small to 11B), T5 v1.1, its LM-adapted variant (the prompt-tuning paper's
 * models) and Flan-T5, small to XXL. The shapes are those of each repo's config.json; they let the
 * studio size a model and its memory before a download, and let `export-job` check a prompt's
 * width against a model it never loads.
 */
import type { T5Config } from './t5Config';
import { parameterCount } from './t5Parameters';

export type T5Size = 'small' | 'base' | 'large' | 'xl' | 'xxl';
export type T5Family = 't5' | 't5-v1_1' | 'lm-adapt' | 'flan-t5';

export interface KnownT5 {
  /** The Hub repo id, e.g. "google/flan-t5-large". */
  id: string;
  family: T5Family;
  size: T5Size;
  config: T5Config;
  parameters: number;
  /**
   * Where a tokenizer.json for the browser comes from when the repo has none: the T5 v1.1 and
   * LM-adapted repos ship only spiece.model, with the same 32k SentencePiece vocabulary as t5-small.
   */
  tokenizerRepo?: string;
}

type Shape = Pick<T5Config, 'vocabSize' | 'dModel' | 'dKv' | 'numHeads' | 'dFf' | 'numLayers' | 'numDecoderLayers' | 'isGated' | 'tieWordEmbeddings'>;

/** A full config from the shape fields; the rest are T5 defaults and change neither the size nor the memory. */
export function t5(shape: Shape): T5Config {
  return {
    numBuckets: 32,
    maxDistance: 128,
    layerNormEps: 1e-6,
    activation: shape.isGated ? 'gelu_new' : 'relu',
    dropoutRate: 0.1,
    padTokenId: 0,
    eosTokenId: 1,
    decoderStartTokenId: 0,
    ...shape,
  };
}

const VOCAB = 32128;
/** T5 v1.1 (also LM-adapted and Flan-T5): gated-GELU, untied output head. */
const v11 = (dModel: number, numHeads: number, dFf: number, layers: number) =>
  t5({ vocabSize: VOCAB, dModel, dKv: 64, numHeads, dFf, numLayers: layers, numDecoderLayers: layers, isGated: true, tieWordEmbeddings: false });
/** The original T5: ReLU, output head tied to the embeddings. */
const original = (dModel: number, dKv: number, numHeads: number, dFf: number, layers: number) =>
  t5({ vocabSize: VOCAB, dModel, dKv, numHeads, dFf, numLayers: layers, numDecoderLayers: layers, isGated: false, tieWordEmbeddings: true });

const V11_SHAPES: Record<T5Size, T5Config> = {
  small: v11(512, 6, 1024, 8),
  base: v11(768, 12, 2048, 12),
  large: v11(1024, 16, 2816, 24),
  xl: v11(2048, 32, 5120, 24),
  xxl: v11(4096, 64, 10240, 24),
};
/** The original T5: its 3B and 11B stand where v1.1 has XL and XXL. */
const ORIGINAL: Array<[string, T5Size, T5Config]> = [
  ['small', 'small', original(512, 64, 8, 2048, 6)],
  ['base', 'base', original(768, 64, 12, 3072, 12)],
  ['large', 'large', original(1024, 64, 16, 4096, 24)],
  ['3b', 'xl', original(1024, 128, 32, 16384, 24)],
  ['11b', 'xxl', original(1024, 128, 128, 65536, 24)],
];

const SIZES: T5Size[] = ['small', 'base', 'large', 'xl', 'xxl'];
const entry = (id: string, family: T5Family, size: T5Size, config: T5Config, tokenizerRepo?: string): KnownT5 => ({
  id,
  family,
  size,
  config,
  parameters: parameterCount(config),
  ...(tokenizerRepo ? { tokenizerRepo } : {}),
});

export const KNOWN_T5: readonly KnownT5[] = [
  ...SIZES.map((s) => entry(`google/t5-${s}-lm-adapt`, 'lm-adapt', s, V11_SHAPES[s], 'google-t5/t5-small')),
  ...SIZES.map((s) => entry(`google/flan-t5-${s}`, 'flan-t5', s, V11_SHAPES[s])),
  ...SIZES.map((s) => entry(`google/t5-v1_1-${s}`, 't5-v1_1', s, V11_SHAPES[s], 'google-t5/t5-small')),
  ...ORIGINAL.map(([name, size, config]) => entry(`google-t5/t5-${name}`, 't5', size, config)),
];

/** The shape of T5 v1.1 at each size (shared by the LM-adapted models and Flan-T5). */
export const T5_V1_1 = V11_SHAPES;

/**
 * The known checkpoint a Hub id names, if any. The original T5's legacy ids ("t5-base") redirect
 * to google-t5/ on the Hub, and Hub ids are case-insensitive.
 */
export function findKnownT5(id: string): KnownT5 | undefined {
  const wanted = id.trim().toLowerCase();
  const canonical = /^t5-(small|base|large|3b|11b)$/.test(wanted) ? `google-t5/${wanted}` : wanted;
  return KNOWN_T5.find((m) => m.id.toLowerCase() === canonical);
}

/** A Hub repo id ("owner/name"), or one of the original T5's legacy ids without an owner. */
export const HUB_ID = /^(?:[A-Za-z0-9][\w.-]*\/[\w.-]+|t5-(?:small|base|large|3b|11b))$/;

export function isHubId(id: string): boolean {
  return HUB_ID.test(id) && !id.includes('..');
}
