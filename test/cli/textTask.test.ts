/**
 * Text-to-text tasks and the prompt-design baseline through the CLI, end to end on the tiny
 * reference checkpoint with the word-level tokenizer ("w17 w42" is two tokens).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPromptFile } from '../../src/core/promptFile/promptFile';
import { scalarRelativeError } from '../helpers/compare';
import { loadExpected, type Expected } from '../helpers/fixtures';
import { fixtureRows, wordModelDir } from '../helpers/wordModel';

const root = new URL('../..', import.meta.url).pathname;
function cli(...args: string[]) {
  const r = spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const csv = (rows: Array<Record<string, string>>) => Papa.unparse(rows) + '\n';

let work: string;
let model: string;
let e: Expected;
let data: string;
const template = 'w3 {question} w4 {text}';
// 24 rows, every answer different: a text-to-text task by detection. Answers are two words long.
const rows = Array.from({ length: 24 }, (_, i) => ({ question: `w${100 + i}`, context: `w${200 + i} w${300 + i} w${400 + i}`, answer: `w${300 + i} w${400 + i}` }));

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'cli-text-'));
  model = wordModelDir('t5-tiny-gated');
  e = await loadExpected('t5-tiny-gated');
  data = path.join(work, 'qa.csv');
  writeFileSync(data, csv(rows));
});

const columns = ['--text-column', 'context', '--label-column', 'answer'];
const trainFlags = (out: string, seed: number) => ['train', '--model', model, '--data', data, '--text-column', 'context', '--label-column', 'answer', '--template', template, '--prompt-length', '4', '--steps', '2', '--batch-size', '4', '--eval-every', '2', '--seed', String(seed), '--out', out];

describe('text-to-text tasks in the CLI', () => {
  it('train detects a text task, records it, and eval, predict and the vote agree with each other', () => {
    const outs = [0, 1].map((k) => path.join(work, `qa${k}.prompt.safetensors`));
    outs.forEach((out, seed) => {
      const r = cli(...trainFlags(out, seed));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/note: 24 distinct targets in 24 rows: free text/);
      expect(r.stderr).toMatch(/a text-to-text task with \d+ distinct targets/);
      // answers compared as text: exact match and token F1
      expect(r.stderr).toMatch(/validation at step 2: exact match \d\.\d{4} f1 \d\.\d{4} loss/);
    });
    const file = readPromptFile(new Uint8Array(readFileSync(outs[0]!)));
    expect(file.metadata).toMatchObject({ task: 'text', template });
    expect(file.metadata.labels).toBeUndefined();

    const ev = cli('eval', '--model', model, '--prompt', outs[0]!, '--data', data, ...columns, '--json');
    expect(ev.code, ev.stderr).toBe(0);
    const report = JSON.parse(ev.stdout) as { task: string; exact_match: number; f1: number; n: number; examples: Array<{ input: string; target: string; generated: string }> };
    expect(report).toMatchObject({ task: 'text', n: 24 });
    expect(report.examples).toHaveLength(5);
    expect(report.examples[0]).toMatchObject({ input: 'w3 w100 w4 w200 w300 w400', target: 'w300 w400' });

    const predictions = path.join(work, 'answers.csv');
    const p = cli('predict', '--model', model, '--prompt', outs[0]!, '--data', data, '--text-column', 'context', '--out', predictions);
    expect(p.code, p.stderr).toBe(0);
    const table = Papa.parse<string[]>(readFileSync(predictions, 'utf8').trim()).data;
    expect(table[0]).toEqual(['question', 'context', 'answer', 'prediction']);
    // eval's exact match is the share of predict's answers equal to the target (word answers: no case or punctuation to normalise)
    const answers = table.slice(1).map((r) => r[3]!.trim());
    expect(answers[0]).toBe(report.examples[0]!.generated);
    expect(report.exact_match).toBeCloseTo(answers.filter((a, i) => a === rows[i]!.answer).length / 24, 12);

    const two = path.join(work, 'answers2.csv');
    const p2 = cli('predict', '--model', model, '--prompt', outs[0]!, '--prompt', outs[1]!, '--data', data, '--text-column', 'context', '--out', two);
    expect(p2.code, p2.stderr).toBe(0);
    const both = Papa.parse<string[]>(readFileSync(two, 'utf8').trim()).data;
    expect(both[0]).toEqual(['question', 'context', 'answer', 'prediction', 'answer_1', 'answer_2']);
    both.slice(1).forEach((r, i) => {
      expect(r[4]).toBe(answers[i]); // member 1 alone wrote this answer
      expect([r[4], r[5]]).toContain(r[3]);
    });
    const ens = cli('eval', '--model', model, '--prompt', outs[0]!, '--prompt', outs[1]!, '--data', data, ...columns, '--json');
    expect(ens.code, ens.stderr).toBe(0);
    const er = JSON.parse(ens.stdout) as { exact_match: number; f1: number; prompts: Array<{ exact_match: number }>; mean: { exact_match: number }; best: { exact_match: number }; vote: { exact_match: number; f1: number }; most_confident: { exact_match: number; f1: number } };
    expect(er.prompts).toHaveLength(2);
    expect(er.prompts[0]!.exact_match).toBeCloseTo(report.exact_match, 12);
    expect(er.exact_match).toBeCloseTo(both.slice(1).filter((r, i) => r[3]!.trim() === rows[i]!.answer).length / 24, 12);
    expect(er.mean.exact_match).toBeCloseTo((er.prompts[0]!.exact_match + er.prompts[1]!.exact_match) / 2, 12);
    expect(er.vote).toEqual({ exact_match: er.exact_match, f1: er.f1 });
    // Two prompts: where they disagree the vote goes to the more confident, so the two combinations agree.
    expect(er.most_confident).toEqual(er.vote);
    const plain = cli('eval', '--model', model, '--prompt', outs[0]!, '--prompt', outs[1]!, '--data', data, ...columns);
    expect(plain.stdout).toMatch(/ensemble \(vote\) \d\.\d{4} f1 \d\.\d{4} {2}most confident \d\.\d{4} f1 \d\.\d{4}/);
  });

  it('says when targets are longer than the answer limit', () => {
    const r = cli('eval', '--model', model, '--no-prompt', '--template', template, '--data', data, '--text-column', 'context', '--label-column', 'answer', '--max-answer-length', '2');
    expect(r.code, r.stderr).toBe(0);
    // "w300 w400" is three tokens with </s>
    expect(r.stderr).toMatch(/note: 24 of 24 targets are longer than the 2-token answer limit/);
    expect(r.stdout).toMatch(/^exact match 0\.0000 {2}f1 \d\.\d{4} {2}n 24$/m);
  });
});

describe('eval --no-prompt: the prompt-design baseline', () => {
  it('scores the frozen model alone: its loss is the reference loss without a prompt', () => {
    const fixture = path.join(work, 'fixture.csv');
    writeFileSync(fixture, csv(fixtureRows(e)));
    const r = cli('eval', '--model', model, '--no-prompt', '--template', '{text}', '--data', fixture, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { accuracy: number; loss: number; n: number };
    expect(out.n).toBe(3);
    expect(scalarRelativeError(out.loss, e.without_prompt.loss)).toBeLessThan(1e-4);
    const text = cli('eval', '--model', model, '--no-prompt', '--template', '{text}', '--data', fixture);
    expect(text.stdout).toMatch(/^prompt design \(no soft prompt\) accuracy \d\.\d{4} {2}loss \d/m);
  });

  it('says what to fix for bad combinations', () => {
    const both = cli('eval', '--model', model, '--no-prompt', '--prompt', 'x.prompt.safetensors', '--data', data);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/--no-prompt evaluates the model without a soft prompt; leave out --prompt/);
    const task = cli('eval', '--model', model, '--no-prompt', '--task', 'qa', '--data', data, '--text-column', 'context', '--label-column', 'answer');
    expect(task.stderr).toMatch(/--task must be one of classify, text, got "qa"/);
    const field = cli('eval', '--model', model, '--no-prompt', '--template', '{title}: {text}', '--data', data, '--text-column', 'context', '--label-column', 'answer');
    expect(field.code).not.toBe(0);
    expect(field.stderr).toMatch(/no column named 'title'; the columns are/);
  });
});
