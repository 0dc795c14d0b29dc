/**
 * `interpret` end to end, as a user runs it, on the tiny reference checkpoint with the word-level
 * tokenizer; every number in its JSON is checked against a float64 computation written here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeDirSource } from '../../src/core/io/nodeDirSource';
import { loadT5, type LoadedT5 } from '../../src/core/model/loadT5';
import { writePromptFile } from '../../src/core/promptFile/promptFile';
import { loadExpected, type Expected } from '../helpers/fixtures';
import { rowsOf, T5Float64 } from '../helpers/t5Float64';
import { wordModelDir } from '../helpers/wordModel';

const root = new URL('../..', import.meta.url).pathname;

function cli(...args: string[]) {
  const r = spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Output {
  neighbours: Array<Array<{ id: number; token: string; similarity: number }>>;
  norms: Array<{ norm: number; vocabPercentile: number }>;
  vocabularyNorms: { min: number; median: number; max: number };
  projection: { explained: number[]; prompt: number[][]; vocabulary: number[][]; labels: Array<{ text: string; x: number; y: number }> };
  drift?: { initialNorm: number[]; cosine: number[]; norm: number[] };
  driftUnavailable?: string;
  example?: { labels: string[]; predicted: number; labelScores: number[]; tokens: string[]; attention: { layers: Array<{ share: number; fromText: number; heads: number[] }> }; importance: number[] };
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const cos = (a: number[], b: number[]) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));

let work: string;
let model: string;
let e: Expected;
let loaded: LoadedT5;
let table: number[][];
let prompt: number[][];
let file: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'cli-interpret-'));
  model = wordModelDir('t5-tiny-gated');
  e = await loadExpected('t5-tiny-gated');
  loaded = await loadT5(nodeDirSource(model));
  table = loaded.model.weights.shared.arraySync();
  prompt = rowsOf(e.prompt.values, 64);
  file = path.join(work, 'fixture.prompt.safetensors');
  writeFileSync(file, writePromptFile({ length: 8, width: 64, values: Float32Array.from(e.prompt.values) }, { labels: ['w202', 'w101'], init: 'labels', initSeed: 3, template: '{text}' }));
});
afterAll(() => loaded?.model.dispose());

describe('cli interpret', () => {
  it('--json: neighbours, norms, projection and drift, each equal to float64', () => {
    const r = cli('interpret', '--model', model, '--prompt', file, '--k', '3', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Output;

    // Neighbours: the top 3 by float64 cosine, with their similarity.
    expect(out.neighbours).toHaveLength(8);
    out.neighbours.forEach((row, t) => {
      const ranked = table.map((v, id) => ({ id, s: cos(prompt[t]!, v) })).sort((a, b) => b.s - a.s);
      expect(row.map((n) => n.id)).toEqual(ranked.slice(0, 3).map((n) => n.id));
      row.forEach((n, j) => {
        expect(n.token).toBe(`w${n.id}`);
        expect(Math.abs(n.similarity - ranked[j]!.s)).toBeLessThan(1e-5);
      });
    });

    // Norms and the percentage of vocabulary norms below each.
    const vocabNorms = table.map((v) => Math.sqrt(dot(v, v)));
    out.norms.forEach((n, t) => {
      const ref = Math.sqrt(dot(prompt[t]!, prompt[t]!));
      expect(Math.abs(n.norm - ref) / ref).toBeLessThan(1e-9);
      expect(n.vocabPercentile).toBeCloseTo((100 * vocabNorms.filter((x) => x < ref).length) / vocabNorms.length, 6);
    });
    expect(out.vocabularyNorms.max).toBeCloseTo(Math.max(...vocabNorms), 4);

    // Projection: the sample covers the whole 512-token vocabulary here, so the axes can be
    // recovered by regression (a = Xcᵀx / Σx²) and everything checked in float64 without an eigensolver.
    const { explained, vocabulary, prompt: xy } = out.projection;
    expect(vocabulary).toHaveLength(512);
    const n = table.length;
    const mean = Array.from({ length: 64 }, (_, j) => table.reduce((s, r) => s + r[j]!, 0) / n);
    const centred = table.map((r) => r.map((x, j) => x - mean[j]!));
    const total = centred.reduce((s, r) => s + dot(r, r), 0) / (n - 1);
    const coords = vocabulary.map(([id, x, y]) => ({ id: id!, x: x!, y: y! })).sort((a, b) => a.id - b.id);
    const xs = coords.map((c) => c.x);
    const ys = coords.map((c) => c.y);
    expect(Math.abs(dot(xs, xs) / (n - 1) / total - explained[0]!)).toBeLessThan(1e-5);
    expect(Math.abs(dot(ys, ys) / (n - 1) / total - explained[1]!)).toBeLessThan(1e-5);
    expect(Math.abs(dot(xs, ys)) / Math.sqrt(dot(xs, xs) * dot(ys, ys))).toBeLessThan(1e-4); // uncorrelated
    const axis = (c: number[]) => Array.from({ length: 64 }, (_, j) => centred.reduce((s, r, i) => s + r[j]! * c[i]!, 0) / dot(c, c));
    const [a, b] = [axis(xs), axis(ys)];
    expect(Math.abs(dot(a, a) - 1)).toBeLessThan(1e-4); // a true principal axis is a unit vector
    xy.forEach(([x, y], t) => {
      const p = prompt[t]!.map((v, j) => v - mean[j]!);
      expect(Math.abs(x! - dot(p, a))).toBeLessThan(1e-4);
      expect(Math.abs(y! - dot(p, b))).toBeLessThan(1e-4);
    });
    const label = out.projection.labels.find((l) => l.text === 'w202')!;
    expect(Math.abs(label.x - dot(table[202]!.map((v, j) => v - mean[j]!), a))).toBeLessThan(1e-4);

    // Drift: the labels init puts w202's embedding in slot 0 and w101's in slot 1.
    expect(out.drift!.cosine[0]).toBeCloseTo(cos(prompt[0]!, table[202]!), 5);
    expect(out.drift!.cosine[1]).toBeCloseTo(cos(prompt[1]!, table[101]!), 5);
    expect(out.drift!.initialNorm[0]).toBeCloseTo(Math.sqrt(dot(table[202]!, table[202]!)), 4);
  });

  it('--example: attention shares and token importances equal a float64 T5', () => {
    const r = cli('interpret', '--model', model, '--prompt', file, '--example', 'w10 w33 w47', '--json', '--sample', '10');
    expect(r.code, r.stderr).toBe(0);
    const { example } = JSON.parse(r.stdout) as Output;
    const ref = T5Float64.from(loaded);
    const ids = [10, 33, 47, 1];
    const targets = [[202, 1], [101, 1]];
    expect(example!.tokens).toEqual(['w10', 'w33', 'w47', '</s>']);
    const embeds = (rows: number[][]) => [...rows, ...ref.embed(ids)];
    const full = ref.scoreTargets(embeds(prompt), targets);
    const predicted = full[0]! >= full[1]! ? 0 : 1;
    expect(example!.predicted).toBe(predicted);
    example!.labelScores.forEach((s, i) => expect(Math.abs(s - full[i]!)).toBeLessThan(5e-4));
    prompt.forEach((_, t) => {
      const without = ref.scoreTargets(embeds(prompt.filter((_, j) => j !== t)), targets);
      expect(Math.abs(example!.importance[t]! - (full[predicted]! - without[predicted]!))).toBeLessThan(5e-4);
    });
    const { probabilities } = ref.encode(embeds(prompt));
    const L = 12;
    probabilities.forEach((layer, l) => {
      const share = layer.reduce((s, p) => s + p.reduce((q, row) => q + row.slice(0, 8).reduce((x, y) => x + y, 0), 0) / L, 0) / layer.length;
      expect(Math.abs(example!.attention.layers[l]!.share - share)).toBeLessThan(1e-5);
    });
  });

  it('prints a readable report with the caveat; says why drift or --example cannot be shown', () => {
    const bare = path.join(work, 'bare.prompt.safetensors');
    writeFileSync(bare, writePromptFile({ length: 8, width: 64, values: Float32Array.from(e.prompt.values) }, { dModel: 64 }));
    const text = cli('interpret', '--model', model, '--prompt', bare, '--k', '2');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Prompt Waywardness/);
    expect(text.stdout).toMatch(/^P1 +\d+\.\d+ \(\d+\.\d%\)/m);
    expect(text.stdout).toMatch(/drift: not shown, .*init_seed/);
    const noLabels = cli('interpret', '--model', model, '--prompt', bare, '--example', 'w10');
    expect(noLabels.code).not.toBe(0);
    expect(noLabels.stderr).toMatch(/^error: --example needs a prompt file that names its labels/);
  });
});
