/**
 * Access to the reference checkpoints in test/fixtures from both test projects: through the
 * file system in Node and through the Vite server's URLs in the browser, which also exercises
 * both ModelSource implementations the app uses.
 */
import type { ModelSource } from '../../src/core/io/modelSource';
import { urlSource } from '../../src/core/io/modelSource';
import { readJson } from '../../src/core/model/loadT5';

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
