// Node runs TF.js's pure-JS CPU backend (tfjs-node's native binary cannot be downloaded here), or,
// in the \`wasm\` project (TEST_BACKEND=wasm), the WebAssembly backend the app picks on machines
// without a GPU. A silent fallback to another backend is a failure.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/backend';

const wanted = process.env.TEST_BACKEND === 'wasm' ? 'wasm' : 'cpu';
const choice = await selectBackend([wanted]);
if (tf.getBackend() !== wanted) throw new Error(`expected the ${wanted} backend, got ${choice.name}: ${choice.reason}`);
