import * as tf from '@tensorflow/tfjs';
import { linear, maybeDropout } from './linear';
import type { DenseActivation } from './t5Config';
import type { FeedForwardWeights } from './t5Weights';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** gelu_new: the tanh approximation T5 v1.1 uses ("gated-gelu"). */
function geluTanh(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** Exact GELU, x * Phi(x), for configs that say plain "gelu". */
function geluErf(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

function activate(x: tf.Tensor, activation: DenseActivation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'gelu_new':
      return geluTanh(x);
    case 'gelu':
      return geluErf(x);
  }
}

/** T5's DenseReluDense / DenseGatedActDense: wo(dropout(act(wi x))) or wo(dropout(act(wi_0 x) * wi_1 x)). */
export function feedForward(x: tf.Tensor3D, w: FeedForwardWeights, activation: DenseActivation, dropoutRate: number): tf.Tensor3D {
  const hidden = w.wi ? activate(linear(x, w.wi), activation) : tf.mul(activate(linear(x, w.wi0!), activation), linear(x, w.wi1!));
  return linear(maybeDropout(hidden, dropoutRate), w.wo) as tf.Tensor3D;
}
