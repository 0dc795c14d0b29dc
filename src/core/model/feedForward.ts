import * as tf from '@tensorflow/tfjs';
import { dropoutMask, linear, maybeDropout, project } from './linear';
import type { DenseActivation } from './t5Config';
import type { FeedForwardWeights } from './t5Weights';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** gelu_new: the tanh approximation T5 v1.1 uses ("gated-gelu"). */
function geluTanh(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/**
 * 2u with u = √(2/π) · a · (1 + 0.044715 a²) gelu_new's tanh argument, from a and a² (no pow):
 * gelu_new(a) = ½a(1 + tanh u) = a · sigmoid(2u), and sigmoid is the faster kernel (TF.js WASM runs
 * tanh as scalar code).
 */
function geluInner(a: tf.Tensor, a2: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(a, tf.add(tf.mul(a2, 0.044715), 1)), 2 * SQRT_2_OVER_PI);
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

/**
 * T5 v1.1's feed-forward block, wo(dropout(gelu_new(wi_0 x) · wi_1 x)), as one custom-gradient
 * unit that needs no gradient for the frozen weights. With gelu(a) = a · σ,
 * σ = sigmoid(2√(2/π)(a + 0.044715 a³)), m the dropout mask and dh = dy · wo:
 *   da = dh ⊙ (m ⊙ b ⊙ gelu'(a)),  db = dh ⊙ (m ⊙ gelu(a)),  dx = da · wi_0 + db · wi_1,
 *   gelu'(a) = σ + a σ (1 − σ) · 2√(2/π)(1 + 3 · 0.044715 a²).
 * The forward pass saves the two bracketed [tokens, d_ff] products (autodiff of the op chain keeps a
 * dozen, plus a gradient for each until the pass ends; saving a, b and m instead would keep three
 * and recompute gelu and its slope in the backward pass, about 7 more passes over [tokens, d_ff]).
 */
function gatedGeluFeedForward(x: tf.Tensor3D, w: FeedForwardWeights, dropoutRate: number): tf.Tensor3D {
  const [wi0, wi1, wo] = [w.wi0!, w.wi1!, w.wo];
  const shape = x.shape;
  const dModel = shape[2];
  const unit = tf.customGrad((input, save) => {
    const flat = tf.reshape(input as tf.Tensor, [-1, dModel]) as tf.Tensor2D;
    const a = project(flat, wi0);
    const b = project(flat, wi1);
    const a2 = tf.square(a);
    const sig = tf.sigmoid(geluInner(a, a2));
    const gelu = tf.mul(a, sig);
    const dInner = tf.mul(tf.add(tf.mul(a2, 3 * 0.044715), 1), 2 * SQRT_2_OVER_PI);
    const slope = tf.add(sig, tf.mul(tf.mul(gelu, tf.sub(1, sig)), dInner));
    const mask = dropoutRate > 0 ? dropoutMask(a.shape, dropoutRate) : undefined;
    const kept = mask ? tf.mul(gelu, mask) : gelu; // m ⊙ gelu(a)
    const keptB = mask ? tf.mul(b, mask) : b; // m ⊙ b
    (save as tf.GradSaveFunc)([tf.mul(keptB, slope), kept]);
    return {
      value: tf.reshape(project(tf.mul(kept, b) as tf.Tensor2D, wo), shape),
      // In a tidy: TF.js runs a custom gradient outside the per-node scope, so intermediates
      // would otherwise live until the whole backward pass ends.
      gradFunc: (dy, saved) =>
        tf.tidy(() => {
          const [daFactor, dbFactor] = saved as [tf.Tensor2D, tf.Tensor2D];
          const dh = tf.matMul(tf.reshape(dy, [-1, dModel]) as tf.Tensor2D, wo);
          const da = tf.mul(dh, daFactor) as tf.Tensor2D;
          const db = tf.mul(dh, dbFactor) as tf.Tensor2D;
          return tf.reshape(tf.add(tf.matMul(da, wi0), tf.matMul(db, wi1)), shape);
        }),
    };
  });
  return unit(x) as tf.Tensor3D;
}

/** T5's DenseReluDense / DenseGatedActDense: wo(dropout(act(wi x))) or wo(dropout(act(wi_0 x) * wi_1 x)). */
export function feedForward(x: tf.Tensor3D, w: FeedForwardWeights, activation: DenseActivation, dropoutRate: number): tf.Tensor3D {
  if (!w.wi && activation === 'gelu_new') return gatedGeluFeedForward(x, w, dropoutRate);
  const hidden = w.wi ? activate(linear(x, w.wi), activation) : tf.mul(activate(linear(x, w.wi0!), activation), linear(x, w.wi1!));
  return linear(maybeDropout(hidden, dropoutRate), w.wo) as tf.Tensor3D;
}
