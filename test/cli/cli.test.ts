/**
 * The CLI end to end, as a user runs it (`npm run --silent cli -- ...`), on the tiny reference
 * checkpoint with the word-level tokenizer, so `eval` can be checked against the fixture loss.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPeftAdapter } from '../../src/core/promptFile/peftAdapter';
import { readPromptFile, writePromptFile } from '../../src/core/promptFile/promptFile';
import { scalarRelativeError } from '../helpers/compare';
import { loadExpected, type Expected } from '../helpers/fixtures';
import { fixtureRows, wordModelDir } from '../helpers/wordModel';

const root = new URL('../..', import.meta.url).pathname;

function cli(...args: string[]) {
  const r = spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const csv = (rows: Array<Record<string, string>>) => Papa.unparse(rows) + '\n';

let work: string;
let model: string;
let e: Expected;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'cli-'));
  model = wordModelDir('t5-tiny-gated');
  e = await loadExpected('t5-tiny-gated');
});

describe('cli', () => {
  it('eval reproduces the reference loss of the fixture batch with the fixture prompt', () => {
    writeFileSync(path.join(work, 'fixture.csv'), csv(fixtureRows(e)));
    const promptFile = path.join(work, 'fixture.prompt.safetensors');
    writeFileSync(promptFile, writePromptFile({ length: 8, width: 64, values: Float32Array.from(e.prompt.values) }, { dModel: 64 }));
    const r = cli('eval', '--model', model, '--prompt', promptFile, '--data', path.join(work, 'fixture.csv'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { accuracy: number; loss: number; n: number };
    expect(out.n).toBe(3);
    expect(scalarRelativeError(out.loss, e.with_prompt.loss)).toBeLessThan(1e-4);
    expect(out.accuracy).toBeGreaterThanOrEqual(0);
    expect(out.accuracy).toBeLessThanOrEqual(1);
  });

  it('train → predict (ensemble) → neighbours → export-peft, end to end', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ review: `w${10 + (i % 2)} w${30 + i} w${60 + i}`, sentiment: i % 2 ? 'w101' : 'w202' }));
    const data = path.join(work, 'train.csv');
    writeFileSync(data, csv(rows));
    const outs = ['a', 'b'].map((n) => path.join(work, `${n}.prompt.safetensors`));
    outs.forEach((out, seed) => {
      const r = cli('train', '--model', model, '--data', data, '--prompt-length', '4', '--init', 'labels', '--steps', '3', '--batch-size', '4', '--seed', String(seed), '--out', out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/step 3\/3/);
    });
    const trained = readPromptFile(new Uint8Array(readFileSync(outs[0]!)));
    expect([trained.prompt.length, trained.prompt.width]).toEqual([4, 64]);
    expect(trained.metadata).toMatchObject({ labels: ['w202', 'w101'], steps: 3, init: 'labels', dModel: 64 });

    const predictions = path.join(work, 'pred.csv');
    const p = cli('predict', '--model', model, '--prompt', outs[0]!, '--prompt', outs[1]!, '--data', data, '--out', predictions);
    expect(p.code, p.stderr).toBe(0);
    const table = Papa.parse<string[]>(readFileSync(predictions, 'utf8').trim()).data;
    expect(table[0]).toEqual(['review', 'sentiment', 'prediction', 'vote_1', 'vote_2']);
    expect(table).toHaveLength(21);
    for (const row of table.slice(1)) {
      expect(['w101', 'w202']).toContain(row[2]);
      // with two voters, the answer is a vote whenever they agree
      if (row[3] === row[4]) expect(row[2]).toBe(row[3]);
    }

    const ensemble = cli('eval', '--model', model, '--prompt', outs[0]!, '--prompt', outs[1]!, '--data', data, '--json');
    expect(ensemble.code, ensemble.stderr).toBe(0);
    const report = JSON.parse(ensemble.stdout) as { accuracy: number; n: number; prompts: Array<{ accuracy: number }>; mean_accuracy: number; best_accuracy: number; ensemble_accuracy: number };
    expect(report.n).toBe(20);
    expect(report.prompts).toHaveLength(2);
    expect(report.mean_accuracy).toBeCloseTo((report.prompts[0]!.accuracy + report.prompts[1]!.accuracy) / 2, 10);
    expect(report.best_accuracy).toBe(Math.max(...report.prompts.map((p) => p.accuracy)));
    expect(report.accuracy).toBe(report.ensemble_accuracy);
    // each prompt alone reports the same accuracy as in the ensemble run
    const alone = JSON.parse(cli('eval', '--model', model, '--prompt', outs[1]!, '--data', data, '--json').stdout) as { accuracy: number };
    expect(alone.accuracy).toBe(report.prompts[1]!.accuracy);

    const n = cli('neighbours', '--model', model, '--prompt', outs[0]!, '--k', '3', '--json');
    expect(n.code, n.stderr).toBe(0);
    const nn = JSON.parse(n.stdout) as { neighbours: Array<Array<{ id: number; token: string; similarity: number }>> };
    expect(nn.neighbours).toHaveLength(4);
    for (const row of nn.neighbours) {
      expect(row).toHaveLength(3);
      expect(row[0]!.token).toBe(`w${row[0]!.id}`);
      expect(row[0]!.similarity).toBeGreaterThanOrEqual(row[2]!.similarity);
    }

    const peftDir = path.join(work, 'peft');
    const x = cli('export-peft', '--prompt', outs[0]!, '--out', peftDir);
    expect(x.code, x.stderr).toBe(0);
    const config = JSON.parse(readFileSync(path.join(peftDir, 'adapter_config.json'), 'utf8'));
    expect(config).toMatchObject({ peft_type: 'PROMPT_TUNING', task_type: 'SEQ_2_SEQ_LM', num_virtual_tokens: 4, token_dim: 64 });
    const adapter = readPeftAdapter(new Uint8Array(readFileSync(path.join(peftDir, 'adapter_model.safetensors'))), config);
    expect(Array.from(adapter.prompt.values)).toEqual(Array.from(trained.prompt.values));
    // The PEFT folder is itself a valid --prompt.
    const again = cli('eval', '--model', model, '--prompt', peftDir, '--data', data, '--json');
    expect(again.code, again.stderr).toBe(0);
  });

  it('train renames label texts and counts epochs', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ text: `w${10 + (i % 2)} w${30 + i}`, label: i % 2 ? 'yes' : 'no' }));
    const data = path.join(work, 'renamed.csv');
    writeFileSync(data, csv(rows));
    const out = path.join(work, 'renamed.prompt.safetensors');
    // 18 training rows after the 10% validation split, batch 4, 2 epochs: ceil(36 / 4) = 9 steps
    const r = cli('train', '--model', model, '--data', data, '--prompt-length', '3', '--label-text', 'no=w202', '--label-text', 'yes=w101', '--epochs', '2', '--batch-size', '4', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/step 9\/9/);
    expect(readPromptFile(new Uint8Array(readFileSync(out))).metadata).toMatchObject({ labels: ['w202', 'w101'], steps: 9 });
    expect(cli('train', '--model', model, '--data', data, '--label-text', 'no', '--out', out).stderr).toMatch(/LABEL=TEXT/);
  });

  it('fails with a clear message and a non-zero exit on bad input', () => {
    const missing = cli('eval', '--prompt', 'x', '--data', 'y');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/missing --model/);

    const wide = path.join(work, 'wide.prompt.safetensors');
    writeFileSync(wide, writePromptFile({ length: 2, width: 512, values: new Float32Array(1024) }, { dModel: 512 }));
    writeFileSync(path.join(work, 'fixture.csv'), csv(fixtureRows(e)));
    const mismatch = cli('eval', '--model', model, '--prompt', wide, '--data', path.join(work, 'fixture.csv'));
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr).toMatch(/512/);
    expect(mismatch.stderr).toMatch(/64/);
    expect(mismatch.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace

    const unknown = cli('fly');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "fly"/);

    const notCsv = path.join(work, 'model.safetensors.csv');
    writeFileSync(notCsv, readFileSync(path.join(model, 'model.safetensors')));
    const bad = cli('eval', '--model', model, '--prompt', wide, '--data', notCsv);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/^error: /);
  });
});
