/**
 * An independent T5 forward pass in float64, plain loops over number[][], for checking what the
 * interpretation code reads out of the model (attention probabilities, label scores). It shares
 * only the weights and the bucket function (itself checked by the parity suite) with src/; the
 * tests first check it against the fixture's PyTorch reference (expected.json).
 */
import type * as tf from '@tensorflow/tfjs';
import type { LoadedT5 } from '../../src/core/model/loadT5';
import { relativePositionBucket } from '../../src/core/model/relativePosition';
import type { T5Config } from '../../src/core/model/t5Config';

type M = number[][];

const mat = (t: tf.Tensor): M => t.arraySync() as M;
const vec = (t: tf.Tensor): number[] => t.arraySync() as number[];

/** x [n, in] times a PyTorch-layout weight [out, in]. */
function linear(x: M, w: M): M {
  return x.map((r) => w.map((wr) => r.reduce((s, v, k) => s + v * wr[k]!, 0)));
}

function rms(x: M, g: number[], eps: number): M {
  return x.map((r) => {
    const scale = 1 / Math.sqrt(r.reduce((s, v) => s + v * v, 0) / r.length + eps);
    return r.map((v, k) => v * scale * g[k]!);
  });
}

const add = (a: M, b: M): M => a.map((r, i) => r.map((v, k) => v + b[i]![k]!));

interface Attn { q: M; k: M; v: M; o: M }
interface Ff { wi?: M; wi0?: M; wi1?: M; wo: M }
interface Block { n1: number[]; attn: Attn; n2: number[]; ff: Ff; nx?: number[]; cross?: Attn }

export class T5Float64 {
  private constructor(
    readonly config: T5Config,
    private readonly shared: M,
    private readonly lmHead: M | undefined,
    private readonly enc: { blocks: Block[]; bias: M; final: number[] },
    private readonly dec: { blocks: Block[]; bias: M; final: number[] },
  ) {}

  static from(loaded: LoadedT5): T5Float64 {
    const w = loaded.model.weights;
    const attn = (a: { q: tf.Tensor; k: tf.Tensor; v: tf.Tensor; o: tf.Tensor }): Attn => ({ q: mat(a.q), k: mat(a.k), v: mat(a.v), o: mat(a.o) });
    const ff = (f: { wi?: tf.Tensor; wi0?: tf.Tensor; wi1?: tf.Tensor; wo: tf.Tensor }): Ff => ({ wi: f.wi && mat(f.wi), wi0: f.wi0 && mat(f.wi0), wi1: f.wi1 && mat(f.wi1), wo: mat(f.wo) });
    return new T5Float64(
      loaded.config,
      mat(w.shared),
      w.lmHead && mat(w.lmHead),
      { blocks: w.encoder.blocks.map((b) => ({ n1: vec(b.selfAttentionNorm), attn: attn(b.selfAttention), n2: vec(b.feedForwardNorm), ff: ff(b.feedForward) })), bias: mat(w.encoder.relativeAttentionBias), final: vec(w.encoder.finalNorm) },
      {
        blocks: w.decoder.blocks.map((b) => ({ n1: vec(b.selfAttentionNorm), attn: attn(b.selfAttention), n2: vec(b.feedForwardNorm), ff: ff(b.feedForward), nx: vec(b.crossAttentionNorm), cross: attn(b.crossAttention) })),
        bias: mat(w.decoder.relativeAttentionBias),
        final: vec(w.decoder.finalNorm),
      },
    );
  }

  embed(ids: number[]): M {
    return ids.map((id) => [...this.shared[id]!]);
  }

  /** Multi-head attention of queries x over keys/values kv; bias(h, i, j) is added to the scores. Returns [out, p[h][i][j]]. */
  private attention(x: M, kv: M, w: Attn, bias: (h: number, i: number, j: number) => number): [M, number[][][]] {
    const { numHeads: H, dKv } = this.config;
    const q = linear(x, w.q);
    const k = linear(kv, w.k);
    const v = linear(kv, w.v);
    const probs: number[][][] = [];
    const ctx: M = x.map(() => new Array<number>(H * dKv).fill(0));
    for (let h = 0; h < H; h++) {
      const ph = x.map((_, i) => {
        const s = kv.map((_, j) => {
          let d = 0;
          for (let t = 0; t < dKv; t++) d += q[i]![h * dKv + t]! * k[j]![h * dKv + t]!;
          return d + bias(h, i, j);
        });
        const max = Math.max(...s);
        const e = s.map((z) => Math.exp(z - max));
        const sum = e.reduce((a, b) => a + b, 0);
        return e.map((z) => z / sum);
      });
      probs.push(ph);
      ph.forEach((row, i) => row.forEach((p, j) => {
        for (let t = 0; t < dKv; t++) ctx[i]![h * dKv + t]! += p * v[j]![h * dKv + t]!;
      }));
    }
    return [linear(ctx, w.o), probs];
  }

  private feedForward(x: M, f: Ff): M {
    if (f.wi) return linear(linear(x, f.wi).map((r) => r.map((v) => Math.max(0, v))), f.wo);
    const gelu = (a: number) => 0.5 * a * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (a + 0.044715 * a ** 3)));
    const a = linear(x, f.wi0!);
    const b = linear(x, f.wi1!);
    return linear(a.map((r, i) => r.map((v, k) => gelu(v) * b[i]![k]!)), f.wo);
  }

  /** The encoder over unpadded input embeddings: its output and every layer's probabilities [layer][head][q][k]. */
  encode(embeds: M): { hidden: M; probabilities: number[][][][] } {
    const c = this.config;
    const bias = (h: number, i: number, j: number) => this.enc.bias[relativePositionBucket(j - i, true, c.numBuckets, c.maxDistance)]![h]!;
    let h = embeds;
    const probabilities: number[][][][] = [];
    for (const b of this.enc.blocks) {
      const n = rms(h, b.n1, c.layerNormEps);
      const [out, p] = this.attention(n, n, b.attn, bias);
      probabilities.push(p);
      h = add(h, out);
      h = add(h, this.feedForward(rms(h, b.n2, c.layerNormEps), b.ff));
    }
    return { hidden: rms(h, this.enc.final, c.layerNormEps), probabilities };
  }

  /** Logits [target length, vocab] for teacher-forced target ids (ending in </s>). */
  logits(encoded: M, target: number[]): M {
    const c = this.config;
    const inputs = [c.decoderStartTokenId, ...target.slice(0, -1)];
    const selfBias = (h: number, i: number, j: number) => (j > i ? -Infinity : this.dec.bias[relativePositionBucket(j - i, false, c.numBuckets, c.maxDistance)]![h]!);
    let h = this.embed(inputs);
    for (const b of this.dec.blocks) {
      const n = rms(h, b.n1, c.layerNormEps);
      h = add(h, this.attention(n, n, b.attn, selfBias)[0]);
      h = add(h, this.attention(rms(h, b.nx!, c.layerNormEps), encoded, b.cross!, () => 0)[0]);
      h = add(h, this.feedForward(rms(h, b.n2, c.layerNormEps), b.ff));
    }
    const out = rms(h, this.dec.final, c.layerNormEps);
    return this.lmHead ? linear(out, this.lmHead) : linear(out.map((r) => r.map((v) => v * c.dModel ** -0.5)), this.shared);
  }

  /** Summed log-probability of each target given the encoder input embeddings. */
  scoreTargets(embeds: M, targets: number[][]): number[] {
    const { hidden } = this.encode(embeds);
    return targets.map((t) =>
      this.logits(hidden, t).reduce((s, row, i) => {
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((a, z) => a + Math.exp(z - max), 0));
        return s + row[t[i]!]! - lse;
      }, 0),
    );
  }
}

/** Row-major [P, d] values as rows. */
export function rowsOf(values: ArrayLike<number>, width: number): M {
  return Array.from({ length: values.length / width }, (_, i) => Array.from({ length: width }, (_, k) => values[i * width + k]!));
}
