/**
 * `train` checks the run's memory before it reads any weight: a folder holding only the config.json
 * of T5 v1.1 large (783 M parameters: 3.1 GB of float32 weights) is refused on the CLI's WebAssembly
 * backend (about 2.6 GB of tensors) with both numbers and what to change, and nothing is written;
 * --ignore-memory-check goes on (to the missing weights, here) with the numbers as a warning.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const cli = (...args: string[]) => {
  const r = spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stderr: r.stderr };
};

/** google/t5-v1_1-large's config.json, as the Hub serves it (the fields the loader reads). */
const T5_LARGE_CONFIG = {
  model_type: 't5', vocab_size: 32128, d_model: 1024, d_kv: 64, d_ff: 2816, num_heads: 16, num_layers: 24, num_decoder_layers: 24,
  relative_attention_num_buckets: 32, relative_attention_max_distance: 128, layer_norm_epsilon: 1e-6, feed_forward_proj: 'gated-gelu',
  tie_word_embeddings: false, dropout_rate: 0.1, pad_token_id: 0, eos_token_id: 1, decoder_start_token_id: 0,
};

let work: string;
let model: string;
let data: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'train-memory-'));
  model = path.join(work, 't5-large');
  mkdirSync(model);
  writeFileSync(path.join(model, 'config.json'), JSON.stringify(T5_LARGE_CONFIG));
  data = path.join(work, 'train.csv');
  writeFileSync(data, `text,label\n${Array.from({ length: 8 }, (_, i) => `hello ${i},${i % 2 ? 'a' : 'b'}`).join('\n')}\n`);
});

describe('train: the memory check', () => {
  it('refuses T5-large on WebAssembly before reading weights, with the numbers and what to do, writing nothing', () => {
    const out = path.join(work, 'large.prompt.safetensors');
    const r = cli('train', '--model', model, '--data', data, '--out', out, '--batch-size', '64');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Not started: this run needs about [\d.]+ GB \(weights 3\.1 GB, /);
    expect(r.stderr).toContain("WebAssembly's 4 GiB heap (measured in training) holds about 2.6 GB of tensors");
    expect(r.stderr).toContain('pick a smaller model');
    expect(r.stderr).toContain('export-job');
    expect(r.stderr).toContain('--ignore-memory-check');
    // One line: a refusal about the input, not a crash with a stack.
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(work).sort()).toEqual(['t5-large', 'train.csv']);
  });

  it('--ignore-memory-check goes past the check with the numbers as a warning', () => {
    const out = path.join(work, 'anyway.prompt.safetensors');
    const r = cli('train', '--model', model, '--data', data, '--out', out, '--batch-size', '64', '--ignore-memory-check');
    expect(r.stderr).toMatch(/warning: This run needs about [\d.]+ GB \(weights 3\.1 GB, .*Training anyway \(--ignore-memory-check\)\./);
    // It then reads the weights, which this folder does not have.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: .*model\.safetensors/);
    expect(existsSync(out)).toBe(false);
  });

  it('lists the flag in --help', () => {
    const r = spawnSync('npm', ['run', '--silent', 'cli', '--', 'train', '--help'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toMatch(/--ignore-memory-check +train even when the memory estimate says the run will not fit/);
  });
});
