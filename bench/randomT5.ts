/**
 * A T5 v1.1 LM-adapted small with RANDOM weights, built in memory (no download): the preset's
 * T5Config plus a TensorStore that invents each tensor, read through the app's own loader
 * (loadT5Weights), so whatever the loader does at load time the benchmark does too.
 * Standard deviations follow transformers' T5PreTrainedModel._init_weights (as
 * scripts/makeDemoModel.ts does); values are uniform with that std (cheap to draw, and the
 * distribution does not matter for timing).
 */
import type { TensorStore } from '../src/core/io/tensorStore';
import { T5_V1_1_SMALL } from '../src/core/model/presets';
import type { T5Config } from '../src/core/model/t5Config';
import { T5Model } from '../src/core/model/t5Model';
import { expectedParameters, loadT5Weights } from '../src/core/model/t5Weights';

/** T5 v1.1 LM-adapted small: d_model 512, d_kv 64, 6 heads, d_ff 1024, 8+8 layers, vocab 32128, gated-gelu, untied head. */
export const BENCH_CONFIG: T5Config = { ...T5_V1_1_SMALL, dropoutRate: 0.1 };

function stdOf(name: string, c: T5Config): number | 'ones' {
  if (name.endsWith('layer_norm.weight')) return 'ones';
  if (name === 'shared.weight') return 1;
  if (name === 'lm_head.weight') return c.dModel ** -0.5;
  if (name.endsWith('relative_attention_bias.weight')) return c.dModel ** -0.5;
  if (name.endsWith('.q.weight')) return (c.dModel * c.dKv) ** -0.5;
  if (name.endsWith('.k.weight') || name.endsWith('.v.weight')) return c.dModel ** -0.5;
  if (name.endsWith('.o.weight')) return (c.numHeads * c.dKv) ** -0.5;
  if (name.endsWith('.wo.weight')) return c.dFf ** -0.5;
  return c.dModel ** -0.5; // wi, wi_0, wi_1
}

/** xorshift32 uniform in [-1, 1): fast enough for 77M values. */
function fill(data: Float32Array, std: number, seed: number): void {
  let s = seed >>> 0 || 1;
  const scale = (std * Math.sqrt(3)) / 2147483648;
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[i] = (s | 0) * scale;
  }
}

export function randomStore(config: T5Config, seed = 1234): TensorStore {
  const shapes = expectedParameters(config);
  const names = [...shapes.keys()];
  return {
    fileName: 'random (benchmark)',
    names: () => names,
    info: (name) => (shapes.has(name) ? { name, dtype: 'F32', shape: shapes.get(name)! } : undefined),
    readF32: (name) => {
      const shape = shapes.get(name)!;
      const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
      const std = stdOf(name, config);
      if (std === 'ones') data.fill(1);
      else fill(data, std, seed + names.indexOf(name) * 7919);
      return data;
    },
  };
}

export function randomT5(config: T5Config = BENCH_CONFIG): T5Model {
  return new T5Model(config, loadT5Weights(randomStore(config), config));
}
