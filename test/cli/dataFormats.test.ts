/**
 * The CLI on data as people have it (issue #14), end to end as a user runs it: a headerless,
 * label-first CSV with labels 1 / -1 (rt-polarity's shape) trained with label texts, then
 * predictions written with the data's own labels, evaluation on a TSV and on JSON Lines, the
 * --header flag, the notes before training, and bad input. The tiny fixture model with the
 * word-level tokenizer ("w17 w42" → [17, 42, </s>]) stands in for a T5.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../../src/core/data/stratifiedSplit';
import { DEFAULT_SETTINGS } from '../../src/core/settings/trainingSettings';
import { readPeftAdapter } from '../../src/core/promptFile/peftAdapter';
import { readPromptFile } from '../../src/core/promptFile/promptFile';
import { wordModelDir } from '../helpers/wordModel';

const root = new URL('../..', import.meta.url).pathname;
const cli = (...args: string[]) => {
  const r = spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let work: string;
let model: string;
/** 40 rows, label first, no header: "1,w10 w30 w60" / "-1,w11 w31 w61"; the last two repeat earlier texts. */
let rows: Array<{ label: string; text: string }>;
let headerless: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'cli-data-'));
  model = wordModelDir('t5-tiny-gated');
  rows = Array.from({ length: 40 }, (_, i) => ({ label: i % 2 ? '-1' : '1', text: `w${10 + (i % 2)} w${30 + (i % 38)} w${60 + (i % 38)}` }));
  headerless = path.join(work, 'polarity.csv');
  writeFileSync(headerless, rows.map((r) => `${r.label},${r.text}`).join('\n') + '\n');
});

describe('cli on real-shaped data', () => {
  it('train on a headerless label-first CSV keeps every row, records the label map, and predict answers in the data labels', () => {
    const out = path.join(work, 'polarity.prompt.safetensors');
    const r = cli('train', '--model', model, '--data', headerless, '--label-text', '1=w101', '--label-text', '-1=w202', '--prompt-length', '2', '--steps', '2', '--batch-size', '4', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: the first row is read as data/);
    // Every one of the 40 rows is an example: the split's two parts add up to it.
    const [, train, validation] = /(\d+) training and (\d+) validation examples, labels: 1, -1/.exec(r.stderr) ?? [];
    expect(Number(train) + Number(validation)).toBe(40);
    // Rows 39 and 40 repeat rows 1 and 2: the note counts the copies the trainer's own split puts in validation.
    const split = stratifiedSplit(rows, (x) => x.label, DEFAULT_SETTINGS.validationFraction, DEFAULT_SETTINGS.seed);
    const leaked = split.validation.filter((v) => split.train.some((t) => t.text === v.text)).length;
    if (leaked > 0) expect(r.stderr).toContain(`note: ${leaked} of the ${split.validation.length} validation examples also ${leaked === 1 ? 'appears' : 'appear'} in training`);
    else expect(r.stderr).not.toMatch(/also appears? in training/);
    const file = readPromptFile(new Uint8Array(readFileSync(out)));
    expect(file.metadata.labels).toEqual(['w101', 'w202']);
    expect(file.metadata.labelValues).toEqual(['1', '-1']);

    // The PEFT export carries the mapping too.
    const peft = path.join(work, 'peft');
    expect(cli('export-peft', '--prompt', out, '--out', peft).code).toBe(0);
    const adapter = readPeftAdapter(new Uint8Array(readFileSync(path.join(peft, 'adapter_model.safetensors'))), JSON.parse(readFileSync(path.join(peft, 'adapter_config.json'), 'utf8')));
    expect(adapter.metadata).toMatchObject({ labels: ['w101', 'w202'], labelValues: ['1', '-1'] });

    // Predict on JSON Lines: the answers are the data's labels, not the trained texts.
    const jsonl = path.join(work, 'new.jsonl');
    writeFileSync(jsonl, ['{"id": 1, "text": "w10 w31 w64"}', '{"id": 2, "text": "w11 w40 w70"}', '{"id": 3, "text": "w10 w50 w90"}'].join('\n') + '\n');
    const predictions = path.join(work, 'pred.csv');
    const p = cli('predict', '--model', model, '--prompt', out, '--data', jsonl, '--out', predictions);
    expect(p.code, p.stderr).toBe(0);
    const table = Papa.parse<string[]>(readFileSync(predictions, 'utf8').trim()).data;
    expect(table[0]).toEqual(['id', 'text', 'prediction']);
    expect(table.slice(1).map((r) => r[0])).toEqual(['1', '2', '3']);
    for (const row of table.slice(1)) expect(['1', '-1']).toContain(row[2]);

    // Eval on a headered TSV whose labels are the data's (1 / -1) and on JSONL whose labels are the texts.
    const tsv = path.join(work, 'test.tsv');
    writeFileSync(tsv, ['sentence\tlabel', ...rows.slice(0, 10).map((x) => `${x.text}\t${x.label}`)].join('\n') + '\n');
    const e1 = cli('eval', '--model', model, '--prompt', out, '--data', tsv, '--json');
    expect(e1.code, e1.stderr).toBe(0);
    expect(JSON.parse(e1.stdout)).toMatchObject({ n: 10 });
    const textLabelled = path.join(work, 'test.jsonl');
    writeFileSync(textLabelled, rows.slice(0, 6).map((x) => JSON.stringify({ text: x.text, label: x.label === '1' ? 'w101' : 'w202' })).join('\n'));
    const e2 = cli('eval', '--model', model, '--prompt', out, '--data', textLabelled);
    expect(e2.code, e2.stderr).toBe(0);
    expect(e2.stdout).toMatch(/n 6\n/);
    expect(e2.stdout).toMatch(/^ {2}1 \(w101\): precision/m);
  });

  it('--header yes reads the first row as names (one row fewer); a bad --header value says what to pass', () => {
    const out = path.join(work, 'forced.prompt.safetensors');
    const r = cli('train', '--model', model, '--data', headerless, '--header', 'yes', '--label-column', '1', '--prompt-length', '2', '--steps', '1', '--batch-size', '4', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const [, train, validation] = /(\d+) training and (\d+) validation examples/.exec(r.stderr) ?? [];
    expect(Number(train) + Number(validation)).toBe(39);
    expect(r.stderr).not.toMatch(/first row is read as data/);
    // Labels left as numbers: the note says which --label-text flags give words instead.
    expect(r.stderr).toMatch(/the labels are numbers or codes .* --label-text -1=negative --label-text 1=positive/);

    const bad = cli('train', '--model', model, '--data', headerless, '--header', 'maybe', '--out', out);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--header must be yes, no or auto, got "maybe"/);
  });

  it('bad input gets a message that says what to do: broken JSON Lines, two labels with one text', () => {
    const broken = path.join(work, 'broken.jsonl');
    writeFileSync(broken, 'this is not json\n{also not\n');
    const b = cli('train', '--model', model, '--data', broken, '--out', path.join(work, 'x.prompt.safetensors'));
    expect(b.code).not.toBe(0);
    expect(b.stderr).toMatch(/^error: this is not JSON Lines: .*one object per line, such as \{"text": "great film", "label": "positive"\}/);
    expect(b.stderr).not.toMatch(/at .*\.ts:\d+/);

    const same = cli('train', '--model', model, '--data', headerless, '--label-text', '1=w101', '--label-text', '-1=w101', '--out', path.join(work, 'y.prompt.safetensors'));
    expect(same.code).not.toBe(0);
    expect(same.stderr).toMatch(/error: labels '1' and '-1' would all be trained to write 'w101'/);
  });
});
