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

/**
 * Several prompts in one batch: row i of the batch gets prompt `promptIndex[i]` of `prompts`
 * [K, P, dModel]. Prompts shorter than P are stored left-padded with `promptMask` 0 over the
 * padding, so every real token keeps the same relative positions as in a single-prompt pass.
 */
export function routedEncoderInput(
  model: T5Model,
  inputIds: tf.Tensor2D,
  attentionMask: tf.Tensor2D,
  prompts: tf.Tensor3D,
  promptIndex: tf.Tensor1D,
  promptMask?: tf.Tensor2D,
): EncoderInput {
  if (prompts.shape[2] !== model.config.dModel) {
    throw new Error(`prompt width ${prompts.shape[2]} does not match the model's d_model ${model.config.dModel}`);
  }
  const embeds = model.embed(inputIds);
  const mask = tf.cast(attentionMask, 'float32') as tf.Tensor2D;
  const rowPrompts = tf.gather(prompts, promptIndex) as tf.Tensor3D;
  const rowPromptMask = promptMask ? (tf.gather(promptMask, promptIndex) as tf.Tensor2D) : (tf.ones([inputIds.shape[0], prompts.shape[1]]) as tf.Tensor2D);
  return { inputsEmbeds: tf.concat([rowPrompts, embeds], 1), attentionMask: tf.concat([rowPromptMask, mask], 1) };
}

/** Stack prompts of possibly different lengths into [K, maxP, d] (left-padded) with their mask. */
export function stackPrompts(prompts: tf.Tensor2D[]): { prompts: tf.Tensor3D; mask: tf.Tensor2D } {
  return tf.tidy(() => {
    const longest = Math.max(...prompts.map((p) => p.shape[0]));
    const width = prompts[0]!.shape[1];
    const padded = prompts.map((p) => (p.shape[0] === longest ? p : tf.concat([tf.zeros([longest - p.shape[0], width]), p], 0)));
    const mask = prompts.map((p) => [...new Array<number>(longest - p.shape[0]).fill(0), ...new Array<number>(p.shape[0]).fill(1)]);
    return { prompts: tf.stack(padded) as tf.Tensor3D, mask: tf.tensor2d(mask, [prompts.length, longest]) };
  });
}
