/**
 * Writes the built-in demo model: a tiny T5 with RANDOM weights (seeded, so the output is the same
 * on every run) and its own small SentencePiece-style Unigram tokenizer, so the whole app can be
 * tried without downloading a real model. It learns nothing useful: it is not a trained model.
 *
 * Model: T5 v1.1 layout (gated-gelu, untied output head), d_model 64, d_kv 16, 4 heads, d_ff 128,
 * 2 encoder + 2 decoder layers, 32 relative-position buckets; weights drawn as
 * transformers' T5PreTrainedModel._init_weights draws them (normal, std scaled by fan-in), so
 * activations and logits have sane magnitudes.
 * Tokenizer: the same pipeline as T5's tokenizer.json (NFKC-style normalizer, whitespace split +
 * Metaspace "▁", Unigram model, `</s>` appended) over <pad>=0 </s>=1 <unk>=2, a few hundred common
 * English words, a few suffixes, and every single character of plain English text, so any such
 * text encodes without <unk>.
 *
 * Usage: npx tsx scripts/makeDemoModel.ts OUT_DIR   (the app's copy is public/demo-model)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeSafetensors, type TensorToWrite } from '../src/core/io/safetensors';
import { seededRandom } from '../src/core/random';
import { parseT5Config } from '../src/core/model/t5Config';
import { expectedParameters } from '../src/core/model/t5Weights';

const SEED = 20210418;

/** Common English words, most frequent first, with the sentiment and topic words demo tasks use. */
const WORDS = `
the of and to a in is it you that he was for on are with as i his they be at one have this from
or had by not but what all were we when your can said there use an each which she do how their if
will up other about out many then them these so some her would make like him into time has look two
more write go see no way could people my than first been call who its now find long down day did get
come made may part over new after also back just only very well even good great best better bad
worse worst terrible awful horrible excellent amazing wonderful fantastic perfect nice fine okay ok
poor boring dull fun funny love loved lovely hate hated like liked enjoy enjoyed happy sad angry
disappointed disappointing impressed delicious tasty bland cold hot fresh stale rude friendly slow
fast quick clean dirty cheap expensive overpriced worth waste recommend never again always
positive negative neutral yes sentiment review rating star stars
movie movies film films actor actors acting plot story scene scenes ending script director
cast character characters music sound screen watch watched show series episode book read
food meal dinner lunch breakfast dish dishes menu pizza burger pasta salad soup dessert coffee tea
wine beer drink drinks chicken beef fish rice bread cheese sauce restaurant place table waiter
waitress staff chef kitchen service price prices portion portions order ordered served wait waited
minutes hour hours night evening weekend
sports sport game games team teams player players match season win won lose lost score goal coach
league football soccer basketball tennis baseball
business company market markets stock stocks price bank money sales profit profits economy deal
deals trade investors shares growth
world politics government president election news war country city state law police
science technology tech computer software internet phone apple data research health
question answer topic label text true false
too much most less least little big small short long old young high low hard easy real
really quite pretty rather bit lot lots thing things something nothing everything anything
here where why because though although while before during until since
am being been does doing done got getting give gave take took going went gone know knew think
thought feel felt seem seemed want wanted need needed try tried keep kept let put say says tell told
work worked works working year years week today yesterday tomorrow
man woman men women kid kids family friend friends everyone anyone someone
`;

/** Capitalised forms for the start of a sentence (lower-case forms are above). */
const CAPITALISED = `The This That It I We You They He She My Our Your A An What When Why How
Not But And So Very Really Great Good Bad Best Worst Terrible Love Never Always If No Yes`;

/** Non-initial pieces: common endings and clitics. */
const SUFFIXES = ['s', 'es', 'ed', 'ing', 'ly', 'er', 'est', 'ness', "'s", "n't", "'re", "'ve", "'m", "'ll", "'d"];

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const PUNCTUATION = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;
/** Characters NFKC leaves alone that turn up in English text. */
const EXTRA_CHARS = '‘’“”–—•€£°éèêëáàâäíìîïóòôöúùûüñçÉ';

export interface DemoVocabulary {
  /** [piece, log-probability score], in id order. */
  pieces: [string, number][];
}

/** The Unigram vocabulary: specials, "▁", whole words, suffixes, "▁x" letters, single characters. */
export function demoVocabulary(): DemoVocabulary {
  const pieces: [string, number][] = [
    ['<pad>', 0],
    ['</s>', 0],
    ['<unk>', 0],
    ['▁', -3],
  ];
  const seen = new Set<string>(pieces.map(([p]) => p));
  const add = (piece: string, score: number) => {
    if (seen.has(piece)) return;
    seen.add(piece);
    pieces.push([piece, Math.round(score * 1e4) / 1e4]);
  };
  const words = WORDS.split(/\s+/).filter(Boolean);
  // Whole words beat any split into letters (each letter scores ≤ -10), frequent words a little more.
  words.forEach((w, i) => add(`▁${w}`, -6 - (2 * i) / words.length));
  CAPITALISED.split(/\s+/)
    .filter(Boolean)
    .forEach((w) => add(`▁${w}`, -8.5));
  for (const s of SUFFIXES) add(s, -8);
  for (const c of LOWER + UPPER + DIGITS) add(`▁${c}`, -10);
  for (const c of LOWER + UPPER + DIGITS + PUNCTUATION) add(c, -11);
  for (const c of EXTRA_CHARS) add(c, -12);
  return { pieces };
}

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** tokenizer.json in the structure of T5's own (normalizer, Metaspace pre-tokenizer, </s> post-processor, Unigram). */
export function demoTokenizerJson(): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '<pad>'), special(1, '</s>'), special(2, '<unk>')],
    // T5's "Precompiled" normalizer is SentencePiece's nmt_nfkc table; plain NFKC is its core.
    normalizer: { type: 'NFKC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Metaspace', replacement: '▁', add_prefix_space: true }],
    },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '▁', add_prefix_space: true },
    model: { type: 'Unigram', unk_id: 2, vocab: demoVocabulary().pieces },
  };
}

export const DEMO_TOKENIZER_CONFIG = {
  eos_token: '</s>',
  pad_token: '<pad>',
  unk_token: '<unk>',
  extra_ids: 0,
  model_max_length: 512,
  clean_up_tokenization_spaces: true,
  tokenizer_class: 'T5Tokenizer',
};

/** config.json: a T5 v1.1-style config, marked as a demo with random weights. */
export function demoConfigJson(): Record<string, unknown> {
  const vocabSize = Math.ceil(demoVocabulary().pieces.length / 8) * 8;
  return {
    _name_or_path: 'prompt-tuning-studio/demo-t5',
    _demo: 'random weights generated by scripts/makeDemoModel.ts; not a trained model',
    architectures: ['T5ForConditionalGeneration'],
    model_type: 't5',
    vocab_size: vocabSize,
    d_model: 64,
    d_kv: 16,
    num_heads: 4,
    d_ff: 128,
    num_layers: 2,
    num_decoder_layers: 2,
    relative_attention_num_buckets: 32,
    relative_attention_max_distance: 128,
    dropout_rate: 0.1,
    layer_norm_epsilon: 1e-6,
    initializer_factor: 1.0,
    feed_forward_proj: 'gated-gelu',
    tie_word_embeddings: false,
    is_encoder_decoder: true,
    use_cache: true,
    pad_token_id: 0,
    eos_token_id: 1,
    decoder_start_token_id: 0,
  };
}

/** Standard normal samples from the seeded PRNG (Box–Muller). */
function normalSampler(seed: number): (std: number) => number {
  const random = seededRandom(seed);
  let spare: number | undefined;
  return (std) => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s * std;
    }
    const u = 1 - random(); // (0, 1]
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v) * std;
  };
}

/** The random weights, named and shaped as T5ForConditionalGeneration saves them. */
export function demoWeights(seed = SEED): Record<string, TensorToWrite> {
  const config = parseT5Config(demoConfigJson());
  const normal = normalSampler(seed);
  const { dModel, dKv, numHeads, dFf } = config;
  // Standard deviations as in transformers' T5PreTrainedModel._init_weights (initializer_factor 1).
  const stdOf = (name: string): number | 'ones' => {
    if (name.endsWith('layer_norm.weight')) return 'ones';
    if (name === 'shared.weight') return 1;
    if (name === 'lm_head.weight') return dModel ** -0.5;
    if (name.endsWith('relative_attention_bias.weight')) return dModel ** -0.5;
    if (name.endsWith('.q.weight')) return (dModel * dKv) ** -0.5;
    if (name.endsWith('.k.weight') || name.endsWith('.v.weight')) return dModel ** -0.5;
    if (name.endsWith('.o.weight')) return (numHeads * dKv) ** -0.5;
    if (name.endsWith('.wo.weight')) return dFf ** -0.5;
    if (/\.wi(_[01])?\.weight$/.test(name)) return dModel ** -0.5;
    throw new Error(`no initialisation rule for ${name}`);
  };
  const out: Record<string, TensorToWrite> = {};
  for (const [name, shape] of expectedParameters(config)) {
    const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
    const std = stdOf(name);
    if (std === 'ones') data.fill(1);
    else for (let i = 0; i < data.length; i++) data[i] = normal(std);
    out[name] = { shape, data };
  }
  return out;
}

/** Every file of the demo model folder, by name. */
export function demoModelFiles(): Record<string, Uint8Array> {
  const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
  return {
    'config.json': json(demoConfigJson()),
    'model.safetensors': writeSafetensors(demoWeights(), { format: 'pt', demo: 'random weights; not a trained model' }),
    // Compact: the vocabulary is most of it.
    'tokenizer.json': new TextEncoder().encode(JSON.stringify(demoTokenizerJson())),
    'tokenizer_config.json': json(DEMO_TOKENIZER_CONFIG),
  };
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: makeDemoModel.ts OUT_DIR');
  mkdirSync(out, { recursive: true });
  let total = 0;
  for (const [name, bytes] of Object.entries(demoModelFiles())) {
    writeFileSync(path.join(out, name), bytes);
    total += bytes.length;
    console.log(`${name}: ${bytes.length} bytes`);
  }
  const config = demoConfigJson();
  console.log(`${out}: ${total} bytes; ${demoVocabulary().pieces.length} pieces, vocab_size ${String(config.vocab_size)}`);
}
