// The browser project must run on WebGPU: a silent fallback to another backend is a failure.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/backend';

const choice = await selectBackend(['webgpu']);
if (tf.getBackend() !== 'webgpu') throw new Error(`expected the webgpu backend, got ${choice.name}: ${choice.reason}`);
