/**
 * Tensors derived from frozen weights (transposed copies, concatenated projections), computed on
 * first use and kept until the model is disposed: the weights never change, so neither do these.
 * They live outside the loaded weights (which stay exactly the checkpoint's tensors) and are made
 * lazily, so loading creates nothing extra.
 */
import * as tf from '@tensorflow/tfjs';

const cache = new WeakMap<tf.Tensor, Map<string, tf.Tensor>>();

/** The tensor `make()` computes from `owner` (and other frozen weights), cached under `key`. */
export function derived<T extends tf.Tensor>(owner: tf.Tensor, key: string, make: () => T): T {
  let byKey = cache.get(owner);
  if (!byKey) {
    byKey = new Map();
    cache.set(owner, byKey);
  }
  let t = byKey.get(key) as T | undefined;
  if (!t || t.isDisposed) {
    // Kept: callers run inside tf.tidy / tf.variableGrads scopes that would otherwise free it.
    t = tf.keep(tf.tidy(make));
    byKey.set(key, t);
  }
  return t;
}

/** Dispose whatever was derived from these weights. */
export function disposeDerived(owners: tf.Tensor[]): void {
  for (const owner of owners) {
    const byKey = cache.get(owner);
    if (!byKey) continue;
    tf.dispose([...byKey.values()]);
    cache.delete(owner);
  }
}
