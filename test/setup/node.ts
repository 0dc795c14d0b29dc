// Node runs TF.js's pure-JS CPU backend (tfjs-node's native binary cannot be downloaded here).
import * as tf from '@tensorflow/tfjs';

await tf.setBackend('cpu');
await tf.ready();
