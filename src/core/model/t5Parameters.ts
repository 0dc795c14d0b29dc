/**
 * A T5's parameter names, shapes and count from its config alone, without TF.js: the page shows
 * sizes and memory estimates before any model loads, and importing TF.js there would put it in
 * the first-load bundle (the tensors themselves live in t5Weights.ts, in the worker).
 */
import type { T5Config } from './t5Config';

/** Every parameter name and its expected shape for this config, as T5ForConditionalGeneration saves them. */
export function expectedParameters(c: T5Config): Map<string, number[]> {
  const inner = c.numHeads * c.dKv;
  const m = new Map<string, number[]>();
  m.set('shared.weight', [c.vocabSize, c.dModel]);
  if (!c.tieWordEmbeddings) m.set('lm_head.weight', [c.vocabSize, c.dModel]);
  const attention = (prefix: string) => {
    m.set(`${prefix}.q.weight`, [inner, c.dModel]);
    m.set(`${prefix}.k.weight`, [inner, c.dModel]);
    m.set(`${prefix}.v.weight`, [inner, c.dModel]);
    m.set(`${prefix}.o.weight`, [c.dModel, inner]);
  };
  const feedForward = (prefix: string) => {
    if (c.isGated) {
      m.set(`${prefix}.wi_0.weight`, [c.dFf, c.dModel]);
      m.set(`${prefix}.wi_1.weight`, [c.dFf, c.dModel]);
    } else {
      m.set(`${prefix}.wi.weight`, [c.dFf, c.dModel]);
    }
    m.set(`${prefix}.wo.weight`, [c.dModel, c.dFf]);
  };
  for (const [stack, layers] of [['encoder', c.numLayers], ['decoder', c.numDecoderLayers]] as const) {
    m.set(`${stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight`, [c.numBuckets, c.numHeads]);
    m.set(`${stack}.final_layer_norm.weight`, [c.dModel]);
    for (let i = 0; i < layers; i++) {
      const b = `${stack}.block.${i}.layer`;
      attention(`${b}.0.SelfAttention`);
      m.set(`${b}.0.layer_norm.weight`, [c.dModel]);
      if (stack === 'decoder') {
        attention(`${b}.1.EncDecAttention`);
        m.set(`${b}.1.layer_norm.weight`, [c.dModel]);
      }
      const ff = stack === 'decoder' ? 2 : 1;
      feedForward(`${b}.${ff}.DenseReluDense`);
      m.set(`${b}.${ff}.layer_norm.weight`, [c.dModel]);
    }
  }
  return m;
}

/** Number of parameters of a T5 with this config (the frozen model; shown before downloading). */
export function parameterCount(c: T5Config): number {
  let n = 0;
  for (const shape of expectedParameters(c).values()) n += shape.reduce((a, d) => a * d, 1);
  return n;
}
