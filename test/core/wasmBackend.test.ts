/**
 * The WebAssembly backend as the app sets it up (runs in the `wasm` project, Node): the JS kernel
 * it lacks, and the automatic choice that puts it ahead of WebGPU on a software adapter.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/backend';

afterEach(() => {
  delete (globalThis as { navigator?: unknown }).navigator;
});

it('runs on the wasm backend', () => {
  expect(tf.getBackend()).toBe('wasm');
});

it('UnsortedSegmentSum: rows summed into their segments, ids out of range dropped', () => {
  const x = tf.tensor2d([
    [1, 2],
    [10, 20],
    [100, 200],
    [1000, 2000],
    [5, 5],
  ]);
  const ids = tf.tensor1d([2, 0, 2, -1, 7], 'int32');
  expect(tf.unsortedSegmentSum(x, ids, 3).arraySync()).toEqual([
    [10, 20],
    [0, 0],
    [101, 202],
  ]);
  const ints = tf.unsortedSegmentSum(tf.tensor1d([3, 4, 5], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2);
  expect(ints.dtype).toBe('int32');
  expect(ints.arraySync()).toEqual([5, 7]);
});

it('the gradient of a row gather, as the routed prompts use it, is the per-prompt sum', () => {
  const prompts = tf.tensor3d([1, 2, 3, 4], [2, 1, 2]);
  const rows = tf.tensor1d([1, 1, 0], 'int32');
  const grad = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(tf.gather(p, rows), tf.tensor3d([1, 1, 2, 2, 3, 3], [3, 1, 2]))))(prompts);
  expect(grad.arraySync()).toEqual([[[3, 3]], [[3, 3]]]);
});

it('automatic choice: WebGPU on a software adapter is skipped for WebAssembly, and the reason says so', async () => {
  (globalThis as { navigator?: unknown }).navigator = {
    gpu: { requestAdapter: async () => ({ info: { vendor: 'google', architecture: 'swiftshader', description: '' } }) },
  };
  const choice = await selectBackend();
  expect(choice.name).toBe('wasm');
  expect(choice.reason).toMatch(/WebGPU runs on a software adapter here \(swiftshader\)/);
  expect(choice.reason).toMatch(/WebGL needs a canvas/);
  expect(choice.detail).toMatch(/SIMD|thread/);
});

it('an explicit list is taken as given: the first backend that starts', async () => {
  const choice = await selectBackend(['webgl', 'cpu']);
  expect(choice.name).toBe('cpu');
  expect(choice.reason).toMatch(/WebGL needs a canvas/);
  await selectBackend(['wasm']);
  expect(tf.getBackend()).toBe('wasm');
});
