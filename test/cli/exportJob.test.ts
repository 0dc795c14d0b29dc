/**
 * `export-job` end to end, as a user runs it: the recipe holds exactly the settings the CLI's flags
 * parse to (the same contract `train` reads), the split is the one `train` makes, the folder passes
 * its own dry run; a text-to-text task gets a job that generates its answers; bad input (an unknown
 * model, a prompt of another width, a used --out) is refused with the numbers and leaves nothing behind. Then the way back: adapters as the job writes them
 * load into eval (as an ensemble) and neighbours on the same CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../src/cli/settingsFlags';
import type { JobRecipe } from '../../src/core/job/jobRecipe';
import { writePromptFile } from '../../src/core/promptFile/promptFile';
import { SETTING_KEYS, TRAINING_SETTINGS, withDefaults } from '../../src/core/settings/trainingSettings';
import { trainingSplit } from '../../src/core/task/trainingSplit';
import { peftConfig } from '../helpers/peftConfig';
import { python, withTrainModule } from '../helpers/python';
import { wordModelDir } from '../helpers/wordModel';

const root = new URL('../..', import.meta.url).pathname;

function cli(...args: string[]) {
  const r = spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let work: string;
let model: string;
let data: string;
const rows = Array.from({ length: 24 }, (_, i) => ({ review: `w${10 + (i % 3)} w${30 + i}, "q"\nw${60 + i}`, sentiment: ['w101', 'w202', 'w303'][i % 3]! }));

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'export-job-'));
  model = wordModelDir('t5-tiny-gated');
  data = path.join(work, 'train.csv');
  writeFileSync(data, `${Papa.unparse(rows)}\n`);
});

const readRecipe = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'recipe.json'), 'utf8')) as JobRecipe;
const csvRows = (file: string) => Papa.parse<string[]>(readFileSync(file, 'utf8').trimEnd(), { newline: '\n' }).data.slice(1);

describe('export-job', () => {
  it('writes the settings the flags parse to, the split train makes, and a folder that passes its own dry run', () => {
    const flags = { 'prompt-length': '6', init: 'vocab', optimizer: 'adam', lr: '0.01', steps: '3', 'batch-size': '4', seed: '9', 'eval-every': '2', patience: '1', 'validation-fraction': '0.25', dropout: '0.05', 'max-length': '64' };
    const out = path.join(work, 'job');
    const r = cli('export-job', '--model-id', 'test-org/tiny-t5', '--model', model, '--data', data, '--out', out, ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v]));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`wrote 8 files to ${out}`);

    const recipe = readRecipe(out);
    const parsed = withDefaults(readSettings(flags, SETTING_KEYS));
    expect(Object.keys(recipe.settings)).toEqual(SETTING_KEYS);
    for (const key of SETTING_KEYS) expect(recipe.settings[key] ?? undefined, TRAINING_SETTINGS[key].flag).toEqual(parsed[key]);
    expect(recipe.model).toMatchObject({ id: 'test-org/tiny-t5', fromHub: true, dModel: 64 });
    expect(recipe.task).toEqual({ labels: ['w101', 'w202', 'w303'], targetTexts: ['w101', 'w202', 'w303'], template: '{text}', maxInputTokens: 64 });

    const split = trainingSplit(rows.map((x) => ({ text: x.review, label: x.sentiment })), parsed);
    expect(csvRows(path.join(out, 'data/train.csv'))).toEqual(split.train.map((e) => [e.text, e.label]));
    expect(csvRows(path.join(out, 'data/validation.csv'))).toEqual(split.validation.map((e) => [e.text, e.label]));
    // `train` with the same flags splits the same way.
    const trained = cli('train', '--model', model, '--data', data, '--out', path.join(work, 'same.prompt.safetensors'), ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v]));
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toContain(`${split.train.length} training and ${split.validation.length} validation examples`);

    const dry = python(['-S', 'train.py', '--dry-run'], { cwd: out });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`data         ${split.train.length} train, ${split.validation.length} validation rows`);
  });

  it('without flags, the recipe holds the contract’s defaults (null for the unset ones)', () => {
    const out = path.join(work, 'defaults');
    const r = cli('export-job', '--model-id', 'google/flan-t5-large', '--data', data, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("without --model DIR the label texts and input lengths were not checked with google/flan-t5-large's tokenizer");
    const recipe = readRecipe(out);
    expect(recipe.settings).toEqual({ ...withDefaults({}), epochs: null, dropoutRate: null });
    expect(recipe.model).toMatchObject({ dModel: 1024, numLayers: 24, parameters: 783_150_080 });
  });

  it('starts from a prompt when given one, taking its length', () => {
    const prompt = path.join(work, 'start.prompt.safetensors');
    writeFileSync(prompt, writePromptFile({ length: 5, width: 1024, values: new Float32Array(5 * 1024).fill(0.5) }, { dModel: 1024 }));
    const out = path.join(work, 'warm');
    const r = cli('export-job', '--model-id', 'google/flan-t5-large', '--data', data, '--prompt', prompt, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(readRecipe(out)).toMatchObject({ settings: { promptLength: 5 }, warmStart: { file: 'init_prompt.safetensors', length: 5, width: 1024 } });
    expect(python(['-S', 'train.py', '--dry-run'], { cwd: out }).stdout).toContain('warm start from init_prompt.safetensors');
  });

  it('refuses an unknown model, a prompt of another width and a used --out, with the numbers, leaving nothing behind', () => {
    const unknown = cli('export-job', '--model-id', 'someone/my-t5', '--data', data, '--out', path.join(work, 'x1'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: unknown model id "someone\/my-t5".*--model DIR.*google\/flan-t5-base/);
    expect(existsSync(path.join(work, 'x1'))).toBe(false);

    const narrow = path.join(work, 'narrow.prompt.safetensors');
    writeFileSync(narrow, writePromptFile({ length: 4, width: 768, values: new Float32Array(4 * 768) }, { dModel: 768, baseModel: 'google/flan-t5-base' }));
    const wide = cli('export-job', '--model-id', 'google/flan-t5-xl', '--data', data, '--prompt', narrow, '--out', path.join(work, 'x2'));
    expect(wide.code).toBe(1);
    expect(wide.stderr).toContain('does not fit google/flan-t5-xl');
    expect(wide.stderr).toMatch(/768 wide but the model's d_model is 2048/);
    expect(existsSync(path.join(work, 'x2'))).toBe(false);

    const length = cli('export-job', '--model-id', 'google/flan-t5-base', '--data', data, '--prompt', narrow, '--prompt-length', '20', '--out', path.join(work, 'x3'));
    expect(length.stderr).toContain('the prompt has 4 tokens but the prompt length is 20');
    expect(existsSync(path.join(work, 'x3'))).toBe(false);

    const notThat = cli('export-job', '--model-id', 'google/flan-t5-base', '--model', model, '--data', data, '--out', path.join(work, 'x4'));
    expect(notThat.stderr).toContain('the model folder has d_model 64 and 2 layers but google/flan-t5-base has d_model 768 and 12');

    const used = path.join(work, 'used');
    mkdirSync(used);
    writeFileSync(path.join(used, 'keep.txt'), 'mine');
    const again = cli('export-job', '--model-id', 'google/flan-t5-base', '--data', data, '--out', used);
    expect(again.stderr).toContain(`--out ${used} already exists and is not empty`);
    expect(readdirSync(used)).toEqual(['keep.txt']);
    expect(readdirSync(work).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('writes a text-to-text job for free-text targets: the template\'s columns in the data, task "text" in the recipe, a dry run that plans generation', () => {
    const answers = path.join(work, 'answers.csv');
    const qa = Array.from({ length: 16 }, (_, i) => ({ question: `w${20 + i}`, context: `w${40 + i} w${60 + i}`, answer: `w${60 + i}` }));
    writeFileSync(answers, `${Papa.unparse(qa)}\n`);
    const template = 'question: {question} context: {text}';
    const out = path.join(work, 'x5');
    const text = cli('export-job', '--model-id', 'test-org/tiny-t5', '--model', model, '--data', answers, '--text-column', 'context', '--label-column', 'answer', '--template', template, '--prompt-length', '3', '--out', out);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toContain('note: 16 distinct targets in 16 rows: free text');
    const recipe = readRecipe(out);
    expect(recipe.task).toEqual({ kind: 'text', labels: [], targetTexts: [], template, maxInputTokens: 256, fields: ['question'], initTexts: ['w60', 'w61', 'w62'] });
    expect(recipe.settings.template).toBe(template);
    // Split as `train` splits a text task: one stratum, not one per answer.
    const split = trainingSplit(qa.map((r) => ({ text: r.context, label: r.answer, fields: { question: r.question } })), { ...withDefaults({}), kind: 'text' });
    expect(split.validation).toHaveLength(2);
    expect(Papa.parse<string[]>(readFileSync(path.join(out, 'data/train.csv'), 'utf8').trimEnd(), { newline: '\n' }).data[0]).toEqual(['text', 'label', 'question']);
    expect(csvRows(path.join(out, 'data/validation.csv'))).toEqual(split.validation.map((e) => [e.text, e.label, e.fields!.question]));
    const dry = python(['-S', 'train.py', '--dry-run'], { cwd: out });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('text to text: greedy answers scored by SQuAD exact match and F1');
    expect(python(['-B', '-m', 'py_compile', path.join(out, 'train.py')]).code).toBe(0);

    const renamed = cli('export-job', '--model-id', 'google/flan-t5-base', '--data', answers, '--task', 'text', '--label-text', 'w60=sixty', '--out', path.join(work, 'x6'));
    expect(renamed.code).toBe(1);
    expect(renamed.stderr).toContain("a text-to-text task writes each row's own answer, so leave it out");
    expect(existsSync(path.join(work, 'x6'))).toBe(false);
    const missing = cli('export-job', '--model-id', 'google/flan-t5-base', '--data', answers, '--template', '{title}: {text}', '--out', path.join(work, 'x8'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no column named 'title'; the columns are/);
    // --task classify still ranks free-text targets as labels.
    const ranked = cli('export-job', '--model-id', 'google/flan-t5-base', '--data', answers, '--task', 'classify', '--out', path.join(work, 'x7'));
    expect(ranked.code, ranked.stderr).toBe(0);
    expect(readRecipe(path.join(work, 'x7')).task.labels).toHaveLength(16);
  });

  it('--help lists every training flag from the contract', () => {
    const r = cli('export-job', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: export-job --model-id HUB_ID/);
    for (const key of SETTING_KEYS) expect(r.stdout, key).toContain(`--${TRAINING_SETTINGS[key].flag} `);
  });
});

describe('adapters trained by the job come back', () => {
  /** An adapter folder as train.py leaves it: PEFT's adapter_config.json, the tensor with train.py's studio metadata. */
  function jobAdapter(dir: string, values: number[]): string {
    mkdirSync(dir, { recursive: true });
    const bytes = withTrainModule(`
import struct
recipe = {"task": {"labels": ["w101", "w202", "w303"], "targetTexts": ["w101", "w202", "w303"], "template": "{text}"},
          "model": {"id": "test-org/tiny-t5", "dModel": 64}, "settings": {"init": "labels"}}
meta = train.studio_metadata(recipe, 30, {"step": 20, "accuracy": 0.5, "loss": 1.5})
values = ${JSON.stringify(values)}
header = json.dumps({"__metadata__": meta, "prompt_embeddings": {"dtype": "F32", "shape": [len(values) // 64, 64], "data_offsets": [0, 4 * len(values)]}}).encode()
print(json.dumps(list(struct.pack("<Q", len(header)) + header + struct.pack(f"<{len(values)}f", *values))))`) as number[];
    writeFileSync(path.join(dir, 'adapter_model.safetensors'), Uint8Array.from(bytes));
    writeFileSync(path.join(dir, 'adapter_config.json'), JSON.stringify(peftConfig(values.length / 64, 64, { base_model_name_or_path: 'test-org/tiny-t5', num_attention_heads: 4, num_layers: 2 })));
    return dir;
  }

  it('as an ensemble in eval, and in neighbours', () => {
    const a = jobAdapter(path.join(work, 'adapter-1'), Array.from({ length: 3 * 64 }, (_, i) => Math.sin(i) / 2));
    const b = jobAdapter(path.join(work, 'adapter-2'), Array.from({ length: 3 * 64 }, (_, i) => Math.cos(i) / 2));
    const e = cli('eval', '--model', model, '--prompt', a, '--prompt', b, '--data', data, '--json');
    expect(e.code, e.stderr).toBe(0);
    const report = JSON.parse(e.stdout) as { n: number; prompts: unknown[]; ensemble_accuracy: number };
    expect(report.n).toBe(24);
    expect(report.prompts).toHaveLength(2);
    const n = cli('neighbours', '--model', model, '--prompt', a, '--k', '2', '--json');
    expect(n.code, n.stderr).toBe(0);
    expect((JSON.parse(n.stdout) as { neighbours: unknown[] }).neighbours).toHaveLength(3);
  });
});
