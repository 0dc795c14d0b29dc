/** Prepend a soft prompt to the encoder input: the one place the trainable prompt meets the frozen model. */
import * as tf from '@tensorflow/tfjs';
import type { T5Model } from './t5Model';

export interface EncoderInput {
  inputsEmbeds: tf.Tensor3D;
  attentionMask: tf.Tensor2D;
}

/**
 * Embeds the ids and, when a prompt [P, dModel] is given, prepends it to every row with
 * attention mask 1 over the prompt positions.
 */
export function encoderInput(model: T5Model, inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D, prompt?: tf.Tensor2D): EncoderInput {
  const embeds = model.embed(inputIds);
  const mask = tf.cast(attentionMask, 'float32') as tf.Tensor2D;
  if (!prompt) return { inputsEmbeds: embeds, attentionMask: mask };
  const batch = inputIds.shape[0];
  const [promptLength, width] = prompt.shape;
  if (width !== model.config.dModel) {
    throw new Error(`prompt width ${width} does not match the model's d_model ${model.config.dModel}`);
  }
  const tiled = tf.tile(tf.expandDims(prompt, 0), [batch, 1, 1]) as tf.Tensor3D;
  return {
    inputsEmbeds: tf.concat([tiled, embeds], 1),
    attentionMask: tf.concat([tf.ones([batch, promptLength]), mask], 1),
  };
}
