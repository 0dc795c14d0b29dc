/**
 * The frozen T5 against an independent float64 PyTorch implementation (test/fixtures/* /expected.json),
 * on both checkpoints and every weights encoding. Runs in Node (CPU backend) and in headless
 * Chromium (WebGPU backend) — see vitest.config.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundToBf16 } from '../../../src/core/io/dtype';
import type { TensorStore } from '../../../src/core/io/tensorStore';
import { loadT5, readWeights, type LoadedT5 } from '../../../src/core/model/loadT5';
import { T5Model } from '../../../src/core/model/t5Model';
import { loadT5Weights } from '../../../src/core/model/t5Weights';
import { greedyDecode } from '../../../src/core/model/greedyDecode';
import { seq2seqLoss, shiftRight } from '../../../src/core/model/seq2seqLoss';
import { encoderInput } from '../../../src/core/model/softPromptInput';
import { relativeError, scalarRelativeError } from '../../helpers/compare';
import { fixtureSource, loadExpected, testBackend, type Expected, type FixtureName } from '../../helpers/fixtures';

const backend = testBackend;
const report: string[] = [];
afterAll(() => console.log(`parity on ${backend}:\n${report.join('\n')}`));

interface Outputs {
  loss: number;
  encoderOutput: Float32Array;
  logits: Float32Array;
}

function batchTensors(e: Expected, startId: number, padId: number) {
  return {
    ids: tf.tensor2d(e.input_ids, undefined, 'int32'),
    mask: tf.tensor2d(e.attention_mask, undefined, 'float32'),
    labels: tf.tensor2d(e.labels, undefined, 'int32'),
    decoderIds: tf.tensor2d(shiftRight(e.labels, startId, padId), undefined, 'int32'),
  };
}

async function run(loaded: LoadedT5, e: Expected, withPrompt: boolean): Promise<Outputs & { grad?: Float32Array }> {
  const { model, config } = loaded;
  const b = batchTensors(e, config.decoderStartTokenId, config.padTokenId);
  const prompt = withPrompt ? tf.tensor2d(e.prompt.values, e.prompt.shape as [number, number]) : undefined;
  const lossOf = (p?: tf.Tensor2D) => {
    const input = encoderInput(model, b.ids, b.mask, p);
    return seq2seqLoss(model.forward(input.inputsEmbeds, input.attentionMask, b.decoderIds), b.labels);
  };
  const [encoded, logits, loss] = tf.tidy(() => {
    const input = encoderInput(model, b.ids, b.mask, prompt);
    const enc = model.encode(input.inputsEmbeds, input.attentionMask);
    const lg = model.logits(model.decode(b.decoderIds, enc, input.attentionMask));
    return [enc, lg, seq2seqLoss(lg, b.labels)];
  });
  const grad = prompt ? tf.grad((p) => lossOf(p as tf.Tensor2D))(prompt) : undefined;
  const out = {
    loss: (await loss.data())[0]!,
    encoderOutput: (await encoded.data()) as Float32Array,
    logits: (await logits.data()) as Float32Array,
    grad: grad ? ((await grad.data()) as Float32Array) : undefined,
  };
  tf.dispose([encoded, logits, loss, grad, prompt, ...Object.values(b)]);
  return out;
}

const variants: Array<{ fixture: FixtureName; weightsFile: string }> = [
  { fixture: 't5-tiny-gated', weightsFile: 'model.safetensors' },
  { fixture: 't5-tiny-relu', weightsFile: 'model.safetensors' },
  { fixture: 't5-tiny-relu', weightsFile: 'pytorch_model.bin' },
];

it(`runs on the ${backend} backend`, () => {
  expect(tf.getBackend()).toBe(backend);
});

describe.each(variants)('$fixture from $weightsFile', ({ fixture, weightsFile }) => {
  let loaded: LoadedT5;
  let e: Expected;
  const check = (what: string, err: number, tol: number) => {
    report.push(`  ${fixture}/${weightsFile} ${what}: ${err.toExponential(2)}`);
    expect(err, what).toBeLessThan(tol);
  };

  beforeAll(async () => {
    loaded = await loadT5(await fixtureSource(fixture), { weightsFile });
    e = await loadExpected(fixture);
  });
  afterAll(() => loaded?.model.dispose());

  it('loads the file it was asked for', () => {
    expect(loaded.weightsFile).toBe(weightsFile);
    expect(loaded.config.tieWordEmbeddings).toBe(fixture === 't5-tiny-relu');
  });

  for (const withPrompt of [false, true]) {
    const key = withPrompt ? 'with_prompt' : 'without_prompt';
    it(`matches ${key}: loss, encoder output and logits to 1e-4 relative`, async () => {
      const out = await run(loaded, e, withPrompt);
      const ref = e[key];
      expect(out.encoderOutput.length).toBe(ref.encoder_output.values.length);
      check(`${key}.loss`, scalarRelativeError(out.loss, ref.loss), 1e-4);
      check(`${key}.encoder_output`, relativeError(out.encoderOutput, ref.encoder_output.values), 1e-4);
      check(`${key}.logits`, relativeError(out.logits, ref.logits.values), 1e-4);
      if (withPrompt) check('with_prompt.grad_prompt', relativeError(out.grad!, e.with_prompt.grad_prompt.values), 1e-3);
    });
  }

  it('greedy-decodes the reference tokens with the prompt', async () => {
    const { model } = loaded;
    const b = batchTensors(e, 0, 0);
    const prompt = tf.tensor2d(e.prompt.values, e.prompt.shape as [number, number]);
    const input = encoderInput(model, b.ids, b.mask, prompt);
    const tokens = await greedyDecode(model, input, 4);
    tf.dispose([prompt, input.inputsEmbeds, input.attentionMask, ...Object.values(b)]);
    expect(tokens).toEqual(e.with_prompt.greedy_4_tokens);
  });
});

describe('t5-tiny-gated from model.bf16.safetensors', () => {
  let bf16: LoadedT5;
  let rounded: T5Model;
  let e: Expected;

  beforeAll(async () => {
    const source = await fixtureSource('t5-tiny-gated');
    bf16 = await loadT5(source, { weightsFile: 'model.bf16.safetensors' });
    // The reference for bf16: the F32 weights rounded to bf16 here, independently of the bf16 file.
    const f32 = await readWeights(source, { weightsFile: 'model.safetensors' });
    const roundedStore: TensorStore = { ...f32, readF32: (name) => roundToBf16(f32.readF32(name)) };
    rounded = new T5Model(bf16.config, loadT5Weights(roundedStore, bf16.config));
    e = await loadExpected('t5-tiny-gated');
  });
  afterAll(() => {
    bf16?.model.dispose();
    rounded?.dispose();
  });

  it('reads values equal to the F32 weights rounded to bf16', async () => {
    const a = await bf16.model.weights.shared.data();
    const b = await rounded.weights.shared.data();
    expect(relativeError(a, b)).toBe(0);
  });

  it('matches the rounded F32 model to 1e-4 and the float64 reference within bf16 tolerance', async () => {
    const fromFile = await run(bf16, e, true);
    const fromRounded = await run({ ...bf16, model: rounded }, e, true);
    const check = (what: string, err: number, tol: number) => {
      report.push(`  t5-tiny-gated/model.bf16.safetensors ${what}: ${err.toExponential(2)}`);
      expect(err, what).toBeLessThan(tol);
    };
    check('with_prompt.loss vs rounded F32', scalarRelativeError(fromFile.loss, fromRounded.loss), 1e-4);
    check('with_prompt.logits vs rounded F32', relativeError(fromFile.logits, fromRounded.logits), 1e-4);
    check('with_prompt.grad_prompt vs rounded F32', relativeError(fromFile.grad!, fromRounded.grad!), 1e-3);
    // bf16 keeps 8 bits of mantissa (relative rounding 2^-9 per weight); about 1e-2 end to end.
    check('with_prompt.loss vs float64 reference', scalarRelativeError(fromFile.loss, e.with_prompt.loss), 2e-3);
    check('with_prompt.logits vs float64 reference', relativeError(fromFile.logits, e.with_prompt.logits.values), 2e-2);
  });
});
