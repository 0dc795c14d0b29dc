/**
 * The encoder's attention on the prompt: the forward-only encoder equals T5Model.encode, and the
 * per-layer shares equal a float64 T5 written in the test (itself checked against PyTorch first).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWithAttention } from '../../../src/core/interpret/encoderAttention';
import { promptAttention } from '../../../src/core/interpret/promptAttention';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { encoderInput } from '../../../src/core/model/softPromptInput';
import { maxAbsDiff, relativeError } from '../../helpers/compare';
import { fixtureSource, loadExpected, testBackend, type Expected, type FixtureName } from '../../helpers/fixtures';
import { rowsOf, T5Float64 } from '../../helpers/t5Float64';

describe.each<FixtureName>(['t5-tiny-gated', 't5-tiny-relu'])('prompt attention on %s', (fixture) => {
  let loaded: LoadedT5;
  let e: Expected;
  let ref: T5Float64;
  let prompt: tf.Tensor2D;
  let ids: number[]; // row 0 of the fixture batch: unpadded
  beforeAll(async () => {
    loaded = await loadT5(await fixtureSource(fixture));
    e = await loadExpected(fixture);
    ref = T5Float64.from(loaded);
    prompt = tf.tensor2d(e.prompt.values, e.prompt.shape as [number, number]);
    ids = e.input_ids[0]!;
  });
  afterAll(() => {
    prompt?.dispose();
    loaded?.model.dispose();
  });
  const embeds = () => [...rowsOf(e.prompt.values, 64), ...ref.embed(ids)];

  it('the float64 reference reproduces PyTorch (encoder output and logits of row 0, 1e-9)', () => {
    const { hidden } = ref.encode(embeds());
    const expected = e.with_prompt.encoder_output.values.slice(0, hidden.length * 64);
    expect(relativeError(hidden.flat(), expected)).toBeLessThan(1e-9);
    const logits = ref.logits(hidden, e.labels[0]!);
    expect(relativeError(logits.flat(), e.with_prompt.logits.values.slice(0, logits.length * 512))).toBeLessThan(1e-9);
  });

  it(`encodeWithAttention's output equals T5Model.encode (1e-6) on ${testBackend}, leaking nothing`, async () => {
    const run = async () => {
      const [plain, read] = tf.tidy(() => {
        const input = encoderInput(loaded.model, tf.tensor2d(e.input_ids, undefined, 'int32') as tf.Tensor2D, tf.tensor2d(e.attention_mask), prompt);
        const reading = encodeWithAttention(loaded.model, input.inputsEmbeds, input.attentionMask);
        tf.dispose(reading.probabilities);
        return [loaded.model.encode(input.inputsEmbeds, input.attentionMask), reading.hidden];
      });
      const err = relativeError(await read.data(), await plain.data());
      tf.dispose([plain, read]);
      return err;
    };
    await run(); // the first pass caches the model's derived weights and position biases
    const before = tf.memory().numTensors;
    const err = await run();
    expect(tf.memory().numTensors).toBe(before);
    expect(err).toBeLessThan(1e-6);
  });

  it(`per-layer shares on the prompt equal the float64 reference (1e-5) on ${testBackend}`, async () => {
    await promptAttention(loaded.model, prompt, ids); // caches derived weights
    const before = tf.memory().numTensors;
    const got = await promptAttention(loaded.model, prompt, ids);
    expect(tf.memory().numTensors).toBe(before);
    const P = 8;
    const L = P + ids.length;
    const { probabilities } = ref.encode(embeds());
    const onPrompt = (p: number[][], q: number) => p[q]!.slice(0, P).reduce((a, b) => a + b, 0);
    const expected = probabilities.map((layer) => ({
      heads: layer.map((p) => Array.from({ length: L }, (_, q) => onPrompt(p, q)).reduce((a, b) => a + b, 0) / L),
      fromText: layer.map((p) => Array.from({ length: L - P }, (_, q) => onPrompt(p, P + q)).reduce((a, b) => a + b, 0) / (L - P)).reduce((a, b) => a + b, 0) / layer.length,
    }));
    expect(got.promptLength).toBe(P);
    expect(got.textLength).toBe(ids.length);
    expect(got.uniformShare).toBeCloseTo(P / L, 12);
    expect(got.layers).toHaveLength(2);
    const err = maxAbsDiff(
      got.layers.flatMap((l) => [l.share, l.fromText, ...l.heads]),
      expected.flatMap((x) => [x.heads.reduce((a, b) => a + b, 0) / x.heads.length, x.fromText, ...x.heads]),
    );
    console.log(`${fixture} on ${testBackend}: attention shares ${got.layers.map((l) => l.share.toFixed(4)).join(', ')}; max abs error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
  });
});
