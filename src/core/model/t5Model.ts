/**
 * The frozen T5 encoder-decoder. Every method is a pure function of its inputs and the frozen
 * weights, so it can run inside tf.tidy / tf.grad; the caller owns the returned tensors.
 * The encoder takes input *embeddings*, which is where a soft prompt is prepended.
 */
import * as tf from '@tensorflow/tfjs';
import { attention } from './attention';
import { disposeDerived } from './derivedWeights';
import { feedForward } from './feedForward';
import { maybeDropout, vocabProjection } from './linear';
import { relativePositionBuckets } from './relativePosition';
import { rmsNorm } from './rmsNorm';
import type { T5Config } from './t5Config';
import { allWeightTensors, type T5Weights } from './t5Weights';

export interface ForwardOptions {
  /** Dropout inside the frozen model; 0 (the default) for evaluation and parity. */
  dropoutRate?: number;
}

/** Added to masked attention scores; large enough that softmax gives exactly 0, small enough never to overflow. */
const MASKED = -1e9;

export class T5Model {
  /** Position biases depend only on lengths and frozen weights: computed once per shape. */
  private readonly biasCache = new Map<string, tf.Tensor4D>();

  constructor(
    readonly config: T5Config,
    readonly weights: T5Weights,
  ) {}

  /**
   * Token ids [batch, length] → embeddings [batch, length, dModel]. A lookup in the frozen table with
   * no gradient: as a custom-gradient unit, so a gradient tape records no tf.gather node, which would
   * keep the whole [vocab, dModel] table as a saved input (the WASM backend copies it, 66 MB, per call).
   */
  embed(ids: tf.Tensor2D): tf.Tensor3D {
    const lookup = tf.customGrad((input) => ({
      value: tf.gather(this.weights.shared, tf.cast(input as tf.Tensor, 'int32')),
      // Token ids are piecewise constant: zero gradient (never needed, ids are never trained).
      gradFunc: () => tf.zeros((input as tf.Tensor).shape),
    }));
    return lookup(ids) as unknown as tf.Tensor3D;
  }

  /** [1, heads, q, k] relative position bias of one stack, cached. */
  private positionBias(stack: 'encoder' | 'decoder', queryLength: number, keyLength: number): tf.Tensor4D {
    const key = `${stack}:${queryLength}x${keyLength}`;
    let bias = this.biasCache.get(key);
    if (!bias) {
      const c = this.config;
      bias = tf.tidy(() => {
        const buckets = relativePositionBuckets(queryLength, keyLength, stack === 'encoder', c.numBuckets, c.maxDistance);
        const table = this.weights[stack].relativeAttentionBias;
        const values = tf.gather(table, tf.tensor1d(buckets, 'int32')); // [q*k, heads]
        return tf.expandDims(tf.transpose(tf.reshape(values, [queryLength, keyLength, c.numHeads]), [2, 0, 1]), 0) as tf.Tensor4D;
      });
      this.biasCache.set(key, tf.keep(bias));
    }
    return bias;
  }

  /** Padding mask [batch, keyLength] of 1/0 → additive [batch, 1, 1, keyLength]. */
  private paddingBias(mask: tf.Tensor2D): tf.Tensor4D {
    const [batch, length] = mask.shape;
    return tf.reshape(tf.mul(tf.sub(1, tf.cast(mask, 'float32')), MASKED), [batch, 1, 1, length]);
  }

  /** Encoder over input embeddings [batch, length, dModel] with a 1/0 attention mask [batch, length]. */
  encode(inputsEmbeds: tf.Tensor3D, attentionMask: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    const c = this.config;
    const rate = options.dropoutRate ?? 0;
    const heads = { numHeads: c.numHeads, dKv: c.dKv, dropoutRate: rate };
    const length = inputsEmbeds.shape[1];
    const bias = tf.add(this.positionBias('encoder', length, length), this.paddingBias(attentionMask));
    let h = maybeDropout(inputsEmbeds, rate);
    for (const block of this.weights.encoder.blocks) {
      const normed = rmsNorm(h, block.selfAttentionNorm, c.layerNormEps);
      h = tf.add(h, maybeDropout(attention(normed, normed, block.selfAttention, bias, heads), rate));
      const normedFf = rmsNorm(h, block.feedForwardNorm, c.layerNormEps);
      h = tf.add(h, maybeDropout(feedForward(normedFf, block.feedForward, c.activation, rate), rate));
    }
    return maybeDropout(rmsNorm(h, this.weights.encoder.finalNorm, c.layerNormEps), rate);
  }

  /** Decoder hidden states (after the final norm) for teacher-forced input ids [batch, targetLength]. */
  decode(decoderInputIds: tf.Tensor2D, encoderHidden: tf.Tensor3D, encoderMask: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    const c = this.config;
    const rate = options.dropoutRate ?? 0;
    const heads = { numHeads: c.numHeads, dKv: c.dKv, dropoutRate: rate };
    const length = decoderInputIds.shape[1];
    const causal = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([length, length]), -1, 0)), MASKED);
    const selfBias = tf.add(this.positionBias('decoder', length, length), causal);
    const crossBias = this.paddingBias(encoderMask);
    let h = maybeDropout(this.embed(decoderInputIds), rate);
    for (const block of this.weights.decoder.blocks) {
      const normed = rmsNorm(h, block.selfAttentionNorm, c.layerNormEps);
      h = tf.add(h, maybeDropout(attention(normed, normed, block.selfAttention, selfBias, heads), rate));
      const normedCross = rmsNorm(h, block.crossAttentionNorm, c.layerNormEps);
      h = tf.add(h, maybeDropout(attention(normedCross, encoderHidden, block.crossAttention, crossBias, heads), rate));
      const normedFf = rmsNorm(h, block.feedForwardNorm, c.layerNormEps);
      h = tf.add(h, maybeDropout(feedForward(normedFf, block.feedForward, c.activation, rate), rate));
    }
    return maybeDropout(rmsNorm(h, this.weights.decoder.finalNorm, c.layerNormEps), rate);
  }

  /** Vocabulary logits [batch, length, vocab]: untied head, or the tied embeddings scaled by dModel^-0.5. */
  logits(decoderHidden: tf.Tensor3D): tf.Tensor3D {
    const [batch, length, d] = decoderHidden.shape;
    const flat = tf.reshape(decoderHidden, [batch * length, d]) as tf.Tensor2D;
    const out = this.weights.lmHead ? vocabProjection(flat, this.weights.lmHead) : vocabProjection(tf.mul(flat, d ** -0.5) as tf.Tensor2D, this.weights.shared);
    return tf.reshape(out, [batch, length, -1]);
  }

  /** Full teacher-forced pass: logits [batch, targetLength, vocab]. */
  forward(inputsEmbeds: tf.Tensor3D, attentionMask: tf.Tensor2D, decoderInputIds: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    const encoded = this.encode(inputsEmbeds, attentionMask, options);
    return this.logits(this.decode(decoderInputIds, encoded, attentionMask, options));
  }

  dispose(): void {
    tf.dispose([...this.biasCache.values()]);
    this.biasCache.clear();
    const weights = allWeightTensors(this.weights);
    disposeDerived(weights);
    tf.dispose(weights);
  }
}
