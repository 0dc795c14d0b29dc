import * as tf from '@tensorflow/tfjs';
import { dropoutMask, linear, maybeDropout, transposed } from './linear';
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
 * unit. The backward pass keeps only a = wi_0 x, b = wi_1 x and the dropout mask (autodiff of the op
 * chain keeps a dozen [tokens, d_ff] tensors, plus a gradient for each until the pass ends) and
 * needs no gradient for the frozen weights. With gelu(a) = a · σ, σ = sigmoid(2√(2/π)(a + 0.044715 a³)):
 *   dh = (dy · wo) ⊙ mask,  da = dh ⊙ b ⊙ gelu'(a),  db = dh ⊙ gelu(a),  dx = da · wi_0 + db · wi_1,
 *   gelu'(a) = σ + a σ (1 − σ) · 2√(2/π)(1 + 3 · 0.044715 a²).
 */
function gatedGeluFeedForward(x: tf.Tensor3D, w: FeedForwardWeights, dropoutRate: number): tf.Tensor3D {
  const [wi0, wi1, wo] = [w.wi0!, w.wi1!, w.wo];
  const [wi0T, wi1T, woT] = [transposed(wi0), transposed(wi1), transposed(wo)];
  const shape = x.shape;
  const dModel = shape[2];
  const unit = tf.customGrad((input, save) => {
    const flat = tf.reshape(input as tf.Tensor, [-1, dModel]) as tf.Tensor2D;
    const a = tf.matMul(flat, wi0T);
    const b = tf.matMul(flat, wi1T);
    let hidden = tf.mul(tf.mul(a, tf.sigmoid(geluInner(a, tf.square(a)))), b);
    if (dropoutRate > 0) {
      const mask = dropoutMask(hidden.shape, dropoutRate);
      (save as tf.GradSaveFunc)([a, b, mask]);
      hidden = tf.mul(hidden, mask);
    } else {
      (save as tf.GradSaveFunc)([a, b]);
    }
    return {
      value: tf.reshape(tf.matMul(hidden as tf.Tensor2D, woT), shape),
      // In a tidy: TF.js runs a custom gradient outside the per-node scope, so intermediates
      // would otherwise live until the whole backward pass ends.
      gradFunc: (dy, saved) =>
        tf.tidy(() => {
          const [as, bs, mask] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D | undefined];
          let dh = tf.matMul(tf.reshape(dy, [-1, dModel]) as tf.Tensor2D, wo);
          if (mask) dh = tf.mul(dh, mask);
          // gelu(a) and gelu'(a), in their own scope so the [tokens, d_ff] temporaries go at once.
          const [gelu, slope] = tf.tidy(() => {
            const a2 = tf.square(as);
            const sig = tf.sigmoid(geluInner(as, a2));
            const gelu = tf.mul(as, sig);
            const dInner = tf.mul(tf.add(tf.mul(a2, 3 * 0.044715), 1), 2 * SQRT_2_OVER_PI);
            return [gelu, tf.add(sig, tf.mul(tf.mul(gelu, tf.sub(1, sig)), dInner))];
          });
          const da = tf.mul(tf.mul(dh, bs), slope) as tf.Tensor2D;
          const db = tf.mul(dh, gelu) as tf.Tensor2D;
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
