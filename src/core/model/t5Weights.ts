/**
 * The frozen T5 parameters as plain tf.Tensors (never tf.Variables: nothing here is trained),
 * read from a TensorStore under the names `T5ForConditionalGeneration` saves.
 * Linear weights keep PyTorch's [out, in] layout. On WASM and WebGPU the attention and feed-forward
 * layers also cache an [in, out] transpose of each (linear.ts's cachesTransposes, derivedWeights.ts),
 * because there TF.js multiplies much faster without a transpose flag; the output head never is.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelFileError } from '../io/modelFileError';
import type { TensorStore } from '../io/tensorStore';
import type { T5Config } from './t5Config';
import { expectedParameters } from './t5Parameters';

// Re-exported for the worker and CLI; the page imports t5Parameters directly, which keeps TF.js out of its bundle.
export { expectedParameters, parameterCount } from './t5Parameters';

export interface AttentionWeights {
  q: tf.Tensor2D;
  k: tf.Tensor2D;
  v: tf.Tensor2D;
  o: tf.Tensor2D;
}

export interface FeedForwardWeights {
  /** ReLU/GELU: `wi`; gated: `wi0` (activated) and `wi1` (linear). */
  wi?: tf.Tensor2D;
  wi0?: tf.Tensor2D;
  wi1?: tf.Tensor2D;
  wo: tf.Tensor2D;
}

export interface EncoderBlockWeights {
  selfAttentionNorm: tf.Tensor1D;
  selfAttention: AttentionWeights;
  feedForwardNorm: tf.Tensor1D;
  feedForward: FeedForwardWeights;
}

export interface DecoderBlockWeights extends EncoderBlockWeights {
  crossAttentionNorm: tf.Tensor1D;
  crossAttention: AttentionWeights;
}

export interface StackWeights<B> {
  blocks: B[];
  /** [numBuckets, numHeads], from block 0; shared by every block of the stack. */
  relativeAttentionBias: tf.Tensor2D;
  finalNorm: tf.Tensor1D;
}

export interface T5Weights {
  /** [vocab, dModel] input embeddings (and the output head when tied). */
  shared: tf.Tensor2D;
  /** [vocab, dModel] untied output head (T5 v1.1), absent when tied. */
  lmHead?: tf.Tensor2D;
  encoder: StackWeights<EncoderBlockWeights>;
  decoder: StackWeights<DecoderBlockWeights>;
}

/** Alternative names some exports use for the same tensor, tried in order. */
const ALIASES: Record<string, string[]> = {
  'shared.weight': ['encoder.embed_tokens.weight', 'decoder.embed_tokens.weight'],
};

function resolveName(store: TensorStore, name: string): string | undefined {
  if (store.info(name)) return name;
  return (ALIASES[name] ?? []).find((alias) => store.info(alias));
}

/**
 * Check every expected tensor exists with the right shape before uploading anything, so a wrong
 * file fails fast with one clear message instead of half a model on the GPU.
 */
export function validateStore(store: TensorStore, config: T5Config): Map<string, string> {
  const resolved = new Map<string, string>();
  const missing: string[] = [];
  for (const [name, shape] of expectedParameters(config)) {
    const found = resolveName(store, name);
    if (!found) {
      missing.push(name);
      continue;
    }
    const actual = store.info(found)!.shape;
    if (actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
      throw new ModelFileError(
        'bad-shape',
        `tensor "${found}" has shape [${actual.join(', ')}] but config.json implies [${shape.join(', ')}]. The weights and config.json belong to different models.`,
        store.fileName,
      );
    }
    resolved.set(name, found);
  }
  if (missing.length > 0) {
    const list = missing.slice(0, 5).map((n) => `"${n}"`).join(', ');
    const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
    throw new ModelFileError(
      'missing-tensor',
      `missing tensor ${list}${more}. Is this a T5ForConditionalGeneration checkpoint matching its config.json (feed_forward_proj, num_layers, tie_word_embeddings)?`,
      store.fileName,
    );
  }
  return resolved;
}

/** Upload the weights as frozen tensors. */
export function loadT5Weights(store: TensorStore, config: T5Config): T5Weights {
  const names = validateStore(store, config);
  const expected = expectedParameters(config);
  const created: tf.Tensor[] = [];
  const get = <R extends tf.Rank>(name: string): tf.Tensor<R> => {
    const t = tf.tensor(store.readF32(names.get(name)!), expected.get(name)!, 'float32') as unknown as tf.Tensor<R>;
    created.push(t);
    return t;
  };
  try {
    const attention = (p: string): AttentionWeights => ({ q: get(`${p}.q.weight`), k: get(`${p}.k.weight`), v: get(`${p}.v.weight`), o: get(`${p}.o.weight`) });
    const feedForward = (p: string): FeedForwardWeights =>
      config.isGated
        ? { wi0: get(`${p}.wi_0.weight`), wi1: get(`${p}.wi_1.weight`), wo: get(`${p}.wo.weight`) }
        : { wi: get(`${p}.wi.weight`), wo: get(`${p}.wo.weight`) };
    const encoderBlocks: EncoderBlockWeights[] = [];
    for (let i = 0; i < config.numLayers; i++) {
      const b = `encoder.block.${i}.layer`;
      encoderBlocks.push({
        selfAttentionNorm: get(`${b}.0.layer_norm.weight`),
        selfAttention: attention(`${b}.0.SelfAttention`),
        feedForwardNorm: get(`${b}.1.layer_norm.weight`),
        feedForward: feedForward(`${b}.1.DenseReluDense`),
      });
    }
    const decoderBlocks: DecoderBlockWeights[] = [];
    for (let i = 0; i < config.numDecoderLayers; i++) {
      const b = `decoder.block.${i}.layer`;
      decoderBlocks.push({
        selfAttentionNorm: get(`${b}.0.layer_norm.weight`),
        selfAttention: attention(`${b}.0.SelfAttention`),
        crossAttentionNorm: get(`${b}.1.layer_norm.weight`),
        crossAttention: attention(`${b}.1.EncDecAttention`),
        feedForwardNorm: get(`${b}.2.layer_norm.weight`),
        feedForward: feedForward(`${b}.2.DenseReluDense`),
      });
    }
    const stack = <B>(name: string, blocks: B[]): StackWeights<B> => ({
      blocks,
      relativeAttentionBias: get(`${name}.block.0.layer.0.SelfAttention.relative_attention_bias.weight`),
      finalNorm: get(`${name}.final_layer_norm.weight`),
    });
    return {
      shared: get('shared.weight'),
      lmHead: config.tieWordEmbeddings ? undefined : get('lm_head.weight'),
      encoder: stack('encoder', encoderBlocks),
      decoder: stack('decoder', decoderBlocks),
    };
  } catch (e) {
    tf.dispose(created);
    throw e;
  }
}

/** Every tensor in the weights, for disposal and byte-for-byte checks. */
export function allWeightTensors(w: T5Weights): tf.Tensor[] {
  const out: tf.Tensor[] = [w.shared];
  if (w.lmHead) out.push(w.lmHead);
  const attention = (a: AttentionWeights) => out.push(a.q, a.k, a.v, a.o);
  const ff = (f: FeedForwardWeights) => {
    for (const t of [f.wi, f.wi0, f.wi1, f.wo]) if (t) out.push(t);
  };
  for (const s of [w.encoder, w.decoder] as StackWeights<EncoderBlockWeights | DecoderBlockWeights>[]) {
    out.push(s.relativeAttentionBias, s.finalNorm);
    for (const b of s.blocks) {
      out.push(b.selfAttentionNorm, b.feedForwardNorm);
      attention(b.selfAttention);
      ff(b.feedForward);
      if ('crossAttention' in b) {
        out.push(b.crossAttentionNorm);
        attention(b.crossAttention);
      }
    }
  }
  return out;
}
