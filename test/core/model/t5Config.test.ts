/** parseT5Config: the fixture configs, transformers' defaults, and refusals that say what is wrong. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../../../src/core/io/modelFileError';
import { parseT5Config, type T5Config } from '../../../src/core/model/t5Config';
import { expectError } from '../../helpers/expectError';

const fixtureConfig = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/${name}/config.json`, import.meta.url)), 'utf8'));

/** Only the fields without a default. */
const minimal = { vocab_size: 100, d_model: 8, d_kv: 2, num_heads: 4, d_ff: 16, num_layers: 3 };

function badConfig(json: unknown, ...mentions: string[]): ModelFileError {
  const e = expectError(() => parseT5Config(json), ModelFileError, { code: 'bad-config', message: mentions });
  expect(e.file).toBe('config.json');
  return e;
}

describe('the fixture configs', () => {
  it('t5-tiny-gated: gated-gelu (gelu_new), untied head', () => {
    expect(parseT5Config(fixtureConfig('t5-tiny-gated'))).toEqual<T5Config>({
      vocabSize: 512,
      dModel: 64,
      dKv: 16,
      numHeads: 4,
      dFf: 128,
      numLayers: 2,
      numDecoderLayers: 2,
      numBuckets: 32,
      maxDistance: 128,
      layerNormEps: 1e-6,
      isGated: true,
      activation: 'gelu_new',
      tieWordEmbeddings: false,
      dropoutRate: 0.1,
      padTokenId: 0,
      eosTokenId: 1,
      decoderStartTokenId: 0,
    });
  });

  it('t5-tiny-relu: plain relu, tied head', () => {
    const c = parseT5Config(fixtureConfig('t5-tiny-relu'));
    expect(c).toMatchObject({ isGated: false, activation: 'relu', tieWordEmbeddings: true, vocabSize: 512, dModel: 64, dFf: 128, numLayers: 2 });
  });
});

describe('defaults, as transformers.T5Config applies them', () => {
  const c = parseT5Config(minimal);

  it('num_decoder_layers defaults to num_layers', () => {
    expect(c.numLayers).toBe(3);
    expect(c.numDecoderLayers).toBe(3);
    expect(parseT5Config({ ...minimal, num_decoder_layers: 1 }).numDecoderLayers).toBe(1);
  });

  it('tie_word_embeddings defaults to true; feed_forward_proj to relu', () => {
    expect(c.tieWordEmbeddings).toBe(true);
    expect(c.isGated).toBe(false);
    expect(c.activation).toBe('relu');
    expect(parseT5Config({ ...minimal, tie_word_embeddings: false }).tieWordEmbeddings).toBe(false);
  });

  it('32 buckets, max distance 128, eps 1e-6, dropout 0.1, pad 0, eos 1, decoder start 0', () => {
    expect(c).toMatchObject({ numBuckets: 32, maxDistance: 128, layerNormEps: 1e-6, dropoutRate: 0.1, padTokenId: 0, eosTokenId: 1, decoderStartTokenId: 0 });
  });

  it('model_type may be absent, t5, mt5 or umt5', () => {
    for (const model_type of ['t5', 'mt5', 'umt5']) expect(parseT5Config({ ...minimal, model_type }).dModel).toBe(8);
  });

  it.each([
    ['relu', false, 'relu'],
    ['gelu', false, 'gelu'],
    ['gated-relu', true, 'relu'],
    ['gated-gelu', true, 'gelu_new'],
  ] as const)('feed_forward_proj %s → gated %s, %s', (proj, isGated, activation) => {
    expect(parseT5Config({ ...minimal, feed_forward_proj: proj })).toMatchObject({ isGated, activation });
  });
});

describe('refused configs', () => {
  it('a missing required field is named', () => {
    const { d_model: _, ...noDModel } = minimal;
    badConfig(noDModel, '"d_model"', 'missing');
    const { num_layers: __, ...noLayers } = minimal;
    badConfig(noLayers, '"num_layers"', 'missing');
  });

  it('a field of the wrong type is named with the value found', () => {
    badConfig({ ...minimal, d_model: '64' }, '"d_model"', '"64"');
    badConfig({ ...minimal, num_heads: 2.5 }, '"num_heads"', '2.5');
    badConfig({ ...minimal, vocab_size: -1 }, '"vocab_size"', '-1');
    badConfig({ ...minimal, layer_norm_epsilon: 'small' }, '"layer_norm_epsilon"');
    badConfig({ ...minimal, feed_forward_proj: 3 }, 'feed_forward_proj');
  });

  it('a zero size is refused', () => {
    badConfig({ ...minimal, num_heads: 0 }, 'numHeads');
  });

  it('model_type "bert" is refused as not a T5', () => {
    badConfig({ ...minimal, model_type: 'bert' }, '"bert"', 'not a T5');
  });

  it('feed_forward_proj "swish" (and other shapes of string) is refused', () => {
    badConfig({ ...minimal, feed_forward_proj: 'swish' }, '"swish"', 'not supported');
    badConfig({ ...minimal, feed_forward_proj: 'gated-swish' }, '"gated-swish"');
    badConfig({ ...minimal, feed_forward_proj: 'fancy-relu' }, '"fancy-relu"');
    badConfig({ ...minimal, feed_forward_proj: 'gated-gated-relu' }, '"gated-gated-relu"');
  });

  it('anything but a JSON object is refused', () => {
    for (const json of [null, undefined, 42, 'config', [minimal]]) badConfig(json, 'not a JSON object');
  });
});
