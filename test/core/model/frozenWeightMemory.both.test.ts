/**
 * Frozen weights are held once (issue #16): tf.memory() after loading a fixture model, and again
 * after a training pass (forward and the prompt's gradient), against byte counts computed from the
 * config's parameter shapes. Only backends that multiply by a transposed operand much more slowly
 * (linear.ts's cachesTransposes: WASM, WebGPU) add an [in, out] copy of each layer matrix; the
 * output head and the embeddings are never copied.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { absorbedIsCheaper } from '../../../src/core/model/absorbedCrossAttention';
import { cachesTransposes } from '../../../src/core/model/linear';
import { loadT5 } from '../../../src/core/model/loadT5';
import { seq2seqLoss, shiftRight } from '../../../src/core/model/seq2seqLoss';
import { encoderInput } from '../../../src/core/model/softPromptInput';
import { expectedParameters } from '../../../src/core/model/t5Parameters';
import { fixtureSource, loadExpected, testBackend, type FixtureName } from '../../helpers/fixtures';

/** The attention and feed-forward matrices: the only weights a backend may keep transposed. */
const LAYER_MATRIX = /\.(q|k|v|o|wi|wi_0|wi_1|wo)\.weight$/;

describe(`frozen weights in memory (${testBackend})`, () => {
  it.each<FixtureName>(['t5-tiny-gated', 't5-tiny-relu'])('%s: loading adds the parameters once; a training pass adds no copy of them', async (name) => {
    const before = tf.memory().numBytes;
    const { model, config } = await loadT5(await fixtureSource(name));
    const shapes = [...expectedParameters(config)];
    const bytesOf = (entries: [string, number[]][]) => entries.reduce((sum, [, shape]) => sum + 4 * shape.reduce((a, d) => a * d, 1), 0);
    const parameterBytes = bytesOf(shapes);
    expect(tf.memory().numBytes - before).toBe(parameterBytes);

    const e = await loadExpected(name);
    const ids = tf.tensor2d(e.input_ids, undefined, 'int32');
    const mask = tf.tensor2d(e.attention_mask, undefined, 'float32');
    const labels = tf.tensor2d(e.labels, undefined, 'int32');
    const decoderIds = tf.tensor2d(shiftRight(e.labels, config.decoderStartTokenId, config.padTokenId), undefined, 'int32');
    const prompt = tf.tensor2d(e.prompt.values, e.prompt.shape as [number, number]);
    const grad = tf.grad((p) => {
      const input = encoderInput(model, ids, mask, p as tf.Tensor2D);
      return seq2seqLoss(model.forward(input.inputsEmbeds, input.attentionMask, decoderIds), labels);
    })(prompt);
    expect(grad.shape).toEqual(prompt.shape);
    tf.dispose([ids, mask, labels, decoderIds, prompt, grad]);

    // What the model keeps between passes: the weights, its cached position biases [1, heads, q, k]
    // (encoder: prompt + input tokens; decoder: target tokens) and, where the backend wants them,
    // transposed layer matrices.
    const [encoderLength, targetLength] = [e.prompt.shape[0]! + e.input_ids[0]!.length, e.labels[0]!.length];
    const biasBytes = 4 * config.numHeads * (encoderLength ** 2 + targetLength ** 2);
    // Cross-attention over a short target multiplies by its key and value weights as they are.
    const absorbed = absorbedIsCheaper(targetLength, encoderLength, config.dModel, config.dKv);
    const transposed = shapes.filter(([n]) => LAYER_MATRIX.test(n) && !(absorbed && /EncDecAttention\.[kv]\./.test(n)));
    const transposedBytes = cachesTransposes() ? bytesOf(transposed) : 0;
    expect(tf.memory().numBytes - before).toBe(parameterBytes + biasBytes + transposedBytes);
    if (testBackend === 'cpu') expect(transposedBytes).toBe(0);

    model.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });
});
