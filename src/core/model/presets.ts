/**
 * The models the UI offers with one click. Sizes are computed from each model's config values
 * (parameterCount of the same config the loader validates against), not copied from model cards.
 */
import { formatBytes } from '../format/bytes';
import { hubUrl } from '../io/modelSource';
import { findKnownT5, t5, T5_V1_1 } from './t5Catalogue';
import type { T5Config } from './t5Config';
import { parameterCount } from './t5Parameters';

export type ModelPresetId = 't5-small-lm-adapt' | 'flan-t5-small' | 't5-small' | 't5-base-lm-adapt' | 'flan-t5-base' | 't5-large-lm-adapt' | 'flan-t5-large' | 'demo';

export interface ModelPreset {
  id: ModelPresetId;
  /** Display name. */
  name: string;
  /** One line for the picker. */
  description: string;
  /** Hugging Face repo id; absent for the demo model, which the app serves itself. */
  repo?: string;
  /**
   * Where tokenizer.json comes from when the model's own repo has none (the T5 v1.1 / LM-adapted
   * repos ship only spiece.model; they use the same 32k SentencePiece vocabulary as t5-small).
   */
  tokenizerRepo?: string;
  /** The model's shape (its config.json), so its memory is known before the download. */
  config: T5Config;
  /** Parameters of the frozen model. */
  parameters: number;
  /** Approximate bytes to download: float32 weights (parameters × 4) plus the tokenizer files. */
  downloadBytes: number;
  /** The small model this app ships (public/demo-model): for trying the app offline, not for results. */
  demo: boolean;
}

/** T5 v1.1 small (also Flan-T5 small): gated-GELU, untied output head. */
export const T5_V1_1_SMALL = T5_V1_1.small;
/** The original T5 small: ReLU, output head tied to the embeddings. */
export const T5_SMALL = findKnownT5('google-t5/t5-small')!.config;
/** The demo model pretrained by scripts/demo-model/build.sh (public/demo-model/config.json). */
export const DEMO_SHAPE = { dModel: 256, dKv: 64, numHeads: 4, dFf: 640, numLayers: 4, numDecoderLayers: 2, isGated: true, tieWordEmbeddings: false } as const;
export const DEMO_VOCAB_SIZE = 8000;

/** Approximate size of the T5 tokenizer files (tokenizer.json about 1.4 MB on t5-small, 2.4 MB on Flan-T5; config files). */
const T5_TOKENIZER_BYTES = 2_500_000;
/** config.json + tokenizer.json + tokenizer_config.json of the demo model. */
const DEMO_TOKENIZER_BYTES = 210_000;

const floatBytes = (c: T5Config) => parameterCount(c) * 4;

/** A Hub preset from the catalogue of known T5s: its shape, size and tokenizer source come from there. */
function hubPreset(id: ModelPresetId, repo: string, name: string, description: string): ModelPreset {
  const known = findKnownT5(repo)!;
  return {
    id,
    name,
    description,
    repo: known.id,
    ...(known.tokenizerRepo ? { tokenizerRepo: known.tokenizerRepo } : {}),
    config: known.config,
    parameters: known.parameters,
    downloadBytes: floatBytes(known.config) + T5_TOKENIZER_BYTES,
    demo: false,
  };
}

const DEMO_CONFIG = t5({ vocabSize: DEMO_VOCAB_SIZE, ...DEMO_SHAPE });

export const MODEL_PRESETS: readonly ModelPreset[] = [
  hubPreset('t5-small-lm-adapt', 'google/t5-small-lm-adapt', 'T5 v1.1 LM-adapted small', 'The model the prompt-tuning paper tunes: T5 v1.1 trained further as a language model, so it continues text in real words.'),
  hubPreset('flan-t5-small', 'google/flan-t5-small', 'Flan-T5 small', 'T5 v1.1 small instruction-tuned on many tasks; a strong start for classification prompts.'),
  hubPreset('t5-small', 'google-t5/t5-small', 'T5 small', 'The original T5 small (multi-task pre-trained); smallest download of the real models.'),
  hubPreset('t5-base-lm-adapt', 'google/t5-base-lm-adapt', 'T5 v1.1 LM-adapted base', 'The paper’s model at base size: three times small, and better prompts; needs a GPU or a few GB of memory.'),
  hubPreset('flan-t5-base', 'google/flan-t5-base', 'Flan-T5 base', 'Flan-T5 at base size (d_model 768).'),
  hubPreset('t5-large-lm-adapt', 'google/t5-large-lm-adapt', 'T5 v1.1 LM-adapted large', 'The paper’s model at large size (d_model 1024): a 3 GB download that needs a GPU with several GB free.'),
  hubPreset('flan-t5-large', 'google/flan-t5-large', 'Flan-T5 large', 'Flan-T5 at large size (d_model 1024); the biggest that one file holds. XL and XXL: Keep → Continue on a GPU cluster.'),
  {
    id: 'demo',
    name: 'Demo model — a small T5 pretrained for this app',
    description:
      'Pretrained from scratch on two CPU cores on a few million words of openly licensed text (span corruption plus a few labelled tasks), and served by this app: it learns simple tasks such as spam vs ham in a minute, but it is far weaker than a real T5.',
    config: DEMO_CONFIG,
    parameters: parameterCount(DEMO_CONFIG),
    // Stored as float16: two bytes a parameter.
    downloadBytes: parameterCount(DEMO_CONFIG) * 2 + DEMO_TOKENIZER_BYTES,
    demo: true,
  },
];

export function presetById(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((p) => p.id === id);
}

/** Path of the demo model under the app's base URL (files in public/demo-model/). */
export const DEMO_MODEL_PATH = 'demo-model';
/** The demo data set for the "try the demo" flow: emails held out of the demo model's pretraining. */
export const DEMO_DATA_PATH = 'demo-data/spam.csv';

const join = (origin: string, path: string) => `${origin.replace(/\/+$/, '')}/${path}`;

/**
 * The URL base the preset's files are read from (for urlSource, and as cachedSource's key base).
 * `origin` is the app's own origin, or its base URL when deployed under a sub-path
 * (`new URL(import.meta.env.BASE_URL, location.origin).href`); only the demo model uses it.
 */
export function presetSource(preset: ModelPreset, origin: string): string {
  return preset.repo === undefined ? join(origin, DEMO_MODEL_PATH) : hubUrl(preset.repo);
}

/** The URL base of the tokenizer files: the tokenizer repo when the model's own has no tokenizer.json. */
export function presetTokenizerSource(preset: ModelPreset, origin: string): string {
  return preset.tokenizerRepo === undefined ? presetSource(preset, origin) : hubUrl(preset.tokenizerRepo);
}

/** "about 310 MB", "about 1.1 MB": sizes as the picker shows them (decimal units, like the Hub). */
export function formatDownloadSize(bytes: number): string {
  return `about ${formatBytes(bytes)}`;
}

/** "77M", "60.5M": parameter counts as the picker shows them. */
export function formatParameters(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${n >= 1e8 ? Math.round(n / 1e6) : Number((n / 1e6).toFixed(1))}M`;
  return `${Math.round(n / 1e3)}k`;
}
