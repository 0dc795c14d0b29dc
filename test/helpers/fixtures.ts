/**
 * Access to the reference checkpoints in test/fixtures from both test projects: through the
 * file system in Node and through the Vite server's URLs in the browser, which also exercises
 * both ModelSource implementations the app uses.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSource } from '../../src/core/io/modelSource';
import { urlSource } from '../../src/core/io/modelSource';
import { loadT5, readJson, type LoadedT5 } from '../../src/core/model/loadT5';
import { seededRandom } from '../../src/core/random';

export const isBrowser = typeof window !== 'undefined';
/** The backend this test project runs on (see vitest.config.ts and test/setup). */
export const testBackend: string = isBrowser ? 'webgpu' : process.env.TEST_BACKEND === 'wasm' ? 'wasm' : 'cpu';

export type FixtureName = 't5-tiny-gated' | 't5-tiny-relu';

export async function fixtureSource(name: FixtureName): Promise<ModelSource> {
  if (isBrowser) return urlSource(`${location.origin}/test/fixtures/${name}`);
  const { nodeDirSource } = await import('../../src/core/io/nodeDirSource');
  const { fileURLToPath } = await import('node:url');
  return nodeDirSource(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)));
}

export interface ExpectedTensor {
  shape: number[];
  values: number[];
}

export interface ExpectedForward {
  loss: number;
  encoder_output: ExpectedTensor;
  logits: ExpectedTensor;
}

export interface Expected {
  input_ids: number[][];
  attention_mask: number[][];
  labels: number[][];
  prompt: ExpectedTensor;
  without_prompt: ExpectedForward;
  with_prompt: ExpectedForward & { grad_prompt: ExpectedTensor; greedy_4_tokens: number[][] };
  nearest_neighbours_top5_cosine: { ids: number[][]; similarity: number[][] };
  training_trajectory: { losses: number[]; final_prompt: ExpectedTensor };
  adafactor: { grads: ExpectedTensor[]; after_step: ExpectedTensor[] };
}

export async function loadExpected(name: FixtureName): Promise<Expected> {
  return (await readJson(await fixtureSource(name), 'expected.json')) as Expected;
}

/** The fixture batch's input rows without their padding (each row cut to its attention mask's length). */
export function unpaddedInputs(e: Expected): number[][] {
  return e.input_ids.map((ids, i) => ids.slice(0, e.attention_mask[i]!.reduce((a, b) => a + b, 0)));
}

export interface FixtureBatch {
  loaded: LoadedT5;
  e: Expected;
  /** The reference batch's inputs, unpadded (unpaddedInputs). */
  inputs: number[][];
}

/** A fixture checkpoint with its reference values and its batch's unpadded inputs; dispose `loaded.model` after. */
export async function loadFixtureBatch(name: FixtureName): Promise<FixtureBatch> {
  const loaded = await loadT5(await fixtureSource(name));
  const e = await loadExpected(name);
  return { loaded, e, inputs: unpaddedInputs(e) };
}

/** A seeded prompt of `length` rows drawn uniformly from [-0.5, 0.5]; `width` is the fixtures' d_model. */
export function randomPrompt(length: number, seed: number, width = 64): tf.Tensor2D {
  const r = seededRandom(seed);
  return tf.tensor2d(Array.from({ length: length * width }, () => r() - 0.5), [length, width]);
}
