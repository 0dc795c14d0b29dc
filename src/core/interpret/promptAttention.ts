/**
 * How much of the encoder's self-attention lands on the soft prompt, layer by layer, for one
 * example: the mean over heads and queries of the probability mass on the prompt positions. A share
 * near P / (P + T) is what uniform attention would give; far below it, the model reads past the prompt.
 */
import * as tf from '@tensorflow/tfjs';
import { encoderInput } from '../model/softPromptInput';
import type { T5Model } from '../model/t5Model';
import { encodeWithAttention } from './encoderAttention';

export interface LayerPromptAttention {
  layer: number;
  /** Mean over heads and every query position (prompt and text) of the attention on the prompt. */
  share: number;
  /** The same over the text's query positions only: how much the text reads the prompt. */
  fromText: number;
  /** Per head, over every query position. */
  heads: number[];
}

export interface PromptAttention {
  promptLength: number;
  textLength: number;
  /** P / (P + T): the share uniform attention would give, for comparison. */
  uniformShare: number;
  layers: LayerPromptAttention[];
}

/** `inputIds`: the example's encoder ids (ending in </s>), no padding. */
export async function promptAttention(model: T5Model, prompt: tf.Tensor2D, inputIds: number[]): Promise<PromptAttention> {
  const P = prompt.shape[0];
  const T = inputIds.length;
  const input = tf.tidy(() => {
    const { inputsEmbeds, attentionMask } = encoderInput(model, tf.tensor2d([inputIds], [1, T], 'int32'), tf.ones([1, T]), prompt);
    return { inputsEmbeds, attentionMask };
  });
  const reading = encodeWithAttention(model, input.inputsEmbeds, input.attentionMask);
  // Per layer: [heads, query] mass on keys 0..P-1, as one product with a 1/0 key mask.
  const onPrompt = tf.tidy(() => {
    const L = P + T;
    const keyMask = tf.tensor2d(Array.from({ length: L }, (_, j) => (j < P ? 1 : 0)), [L, 1]);
    const heads = reading.probabilities[0]?.shape[1] ?? 0;
    return tf.stack(reading.probabilities.map((p) => tf.reshape(tf.matMul(tf.reshape(p, [heads * L, L]), keyMask), [heads, L])));
  });
  tf.dispose([input.inputsEmbeds, input.attentionMask, reading.hidden, ...reading.probabilities]);
  const [layers, heads, length] = onPrompt.shape as [number, number, number];
  const mass = (await onPrompt.data()) as Float32Array;
  onPrompt.dispose();
  const at = (l: number, h: number, q: number) => mass[(l * heads + h) * length + q]!;
  const mean = (l: number, h: number, from: number) => {
    let s = 0;
    for (let q = from; q < length; q++) s += at(l, h, q);
    return s / (length - from);
  };
  return {
    promptLength: P,
    textLength: T,
    uniformShare: P / (P + T),
    layers: Array.from({ length: layers }, (_, l) => {
      const perHead = Array.from({ length: heads }, (_, h) => mean(l, h, 0));
      return {
        layer: l,
        share: perHead.reduce((a, b) => a + b, 0) / heads,
        fromText: Array.from({ length: heads }, (_, h) => mean(l, h, P)).reduce((a, b) => a + b, 0) / heads,
        heads: perHead,
      };
    }),
  };
}
