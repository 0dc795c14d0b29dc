/**
 * The exported train.py, as far as it can be checked without PEFT: it compiles, declares its
 * dependencies inline (PEP 723) and imports nothing but the standard library at the top; its port
 * of the studio's seeded random numbers draws the studio's numbers; the metadata it writes into the
 * adapter reads back in the studio; and its dry run accepts a fresh job and refuses a damaged one.
 * PEFT, transformers and a GPU are not available here: the training path itself is not run.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildJob, type Job } from '../../../src/core/job/jobFiles';
import { resolveJobModel } from '../../../src/core/job/jobModel';
import { importPrompt } from '../../../src/core/promptFile/peftAdapter';
import { seededRandom, shuffle } from '../../../src/core/random';
import { withDefaults } from '../../../src/core/settings/trainingSettings';
import { applyTemplate, taskFromExamples } from '../../../src/core/task/taskFormat';
import { trainingSplit } from '../../../src/core/task/trainingSplit';
import { sampleVocabIds } from '../../../src/core/tuning/promptInit';
import { peftConfig } from '../../helpers/peftConfig';
import { python, TRAIN_PY, withTrainModule } from '../../helpers/python';

const script = readFileSync(TRAIN_PY, 'utf8');

async function job(over: { warm?: boolean; test?: boolean } = {}): Promise<Job> {
  const examples = Array.from({ length: 30 }, (_, i) => ({ text: `text ${i}, with "quotes"\nand a newline`, label: i % 2 ? 'good' : 'bad' }));
  const settings = withDefaults({ promptLength: 10, steps: 40, evalEvery: 10, patience: 2, seed: 5, template: 'review: {text}' });
  const warmStart = over.warm
    ? { prompt: { length: 10, width: 768, values: new Float32Array(7680).fill(0.25) }, metadata: { format: 'pt' as const, dModel: 768 }, source: 'prompt' as const, notes: [] }
    : undefined;
  return buildJob({
    model: resolveJobModel({ id: 'google/flan-t5-base', fromHub: true }),
    settings,
    task: taskFromExamples(examples, { maxInputTokens: settings.maxInputTokens, template: 'review: {text}' }),
    split: trainingSplit(examples, settings),
    ...(over.test ? { test: examples.slice(0, 4) } : {}),
    ...(warmStart ? { warmStart } : {}),
    script,
  });
}

function writeJob(j: Job): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'job-'));
  for (const f of j.files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.bytes);
  }
  return dir;
}

const editRecipe = (dir: string, edit: (r: Record<string, any>) => void) => {
  const file = path.join(dir, 'recipe.json');
  const recipe = JSON.parse(readFileSync(file, 'utf8'));
  edit(recipe);
  writeFileSync(file, JSON.stringify(recipe));
};

describe('train.py', () => {
  it('compiles, declares its dependencies inline (PEP 723) and imports only the standard library at the top', () => {
    const r = python(['-c', `
import ast, json, re, sys, tomllib
source = open(${JSON.stringify(TRAIN_PY)}, encoding="utf-8").read()
tree = ast.parse(compile(source, "train.py", "exec", flags=ast.PyCF_ONLY_AST))
# The reference reader from PEP 723.
block = re.search(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\\s(?P<content>(^#(| .*)$\\s)+)^# ///$", source)
metadata = tomllib.loads("".join(line[2:] if line.startswith("# ") else line[1:] for line in block.group("content").splitlines(keepends=True)))
top = [a.name.split(".")[0] for n in tree.body if isinstance(n, ast.Import) for a in n.names] + [n.module.split(".")[0] for n in tree.body if isinstance(n, ast.ImportFrom)]
print(json.dumps({"type": block.group("type"), "metadata": metadata, "third_party_at_top": [m for m in top if m not in sys.stdlib_module_names]}))
`]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.type).toBe('script');
    expect(out.third_party_at_top).toEqual([]);
    const names = (out.metadata.dependencies as string[]).map((d) => d.split(/[<>=;\s]/)[0]);
    expect(names).toEqual(expect.arrayContaining(['torch', 'transformers', 'peft', 'accelerate', 'safetensors', 'sentencepiece']));
    expect(out.metadata['requires-python']).toBe('>=3.9');
  });

  it('draws the studio’s seeded numbers: mulberry32, the shuffle, the vocabulary sample, the template', () => {
    const r = seededRandom(12345);
    const studio = {
      random: Array.from({ length: 5 }, () => r()),
      shuffled: shuffle(Array.from({ length: 20 }, (_, i) => i), seededRandom(2 ** 31 - 1)),
      vocab: sampleVocabIds(100, 32128, seededRandom(9)),
      small: sampleVocabIds(12, 8, seededRandom(1)),
      templates: [applyTemplate('q: {text} a: {text}', 'x'), applyTemplate('prefix ', 'x')],
    };
    const py = withTrainModule(`
r = train.seeded_random(12345)
print(json.dumps({"random": [r() for _ in range(5)], "shuffled": train.shuffle(list(range(20)), train.seeded_random(2**31 - 1)),
  "vocab": train.sample_vocab_ids(100, 32128, train.seeded_random(9)), "small": train.sample_vocab_ids(12, 8, train.seeded_random(1)),
  "templates": [train.apply_template("q: {text} a: {text}", "x"), train.apply_template("prefix ", "x")]}))`);
    expect(py).toEqual(studio);
  });

  it('writes adapter metadata the studio reads back: label texts, the label map, template, steps, validation', () => {
    const P = 3;
    const D = 8;
    const bytes = withTrainModule(`
import struct
recipe = {"task": {"labels": ["1", "0"], "targetTexts": ["positive", "negative"], "template": "review: {text}"},
          "model": {"id": "google/flan-t5-base", "dModel": ${D}}, "settings": {"init": "labels"}}
meta = train.studio_metadata(recipe, 120, {"step": 100, "accuracy": 0.875, "loss": 0.25})
values = [i / 10 for i in range(${P * D})]
header = json.dumps({"__metadata__": meta, "prompt_embeddings": {"dtype": "F32", "shape": [${P}, ${D}], "data_offsets": [0, ${4 * P * D}]}}).encode()
print(json.dumps(list(struct.pack("<Q", len(header)) + header + struct.pack("<${P * D}f", *values))))`) as number[];
    const imported = importPrompt([
      { name: 'adapter_model.safetensors', bytes: Uint8Array.from(bytes) },
      { name: 'adapter_config.json', bytes: new TextEncoder().encode(JSON.stringify(peftConfig(P, D, { base_model_name_or_path: 'google/flan-t5-base' }))) },
    ]);
    expect(imported.prompt).toMatchObject({ length: P, width: D });
    expect(imported.prompt.values[5]).toBeCloseTo(0.5, 6);
    expect(imported.metadata).toMatchObject({ baseModel: 'google/flan-t5-base', labels: ['positive', 'negative'], labelValues: ['1', '0'], template: 'review: {text}', init: 'labels', steps: 120, validation: { accuracy: 0.875, loss: 0.25 } });
    expect(imported.notes).toEqual([]);
  });

  it('--dry-run accepts a fresh job and prints the plan, with only the standard library', async () => {
    const dir = writeJob(await job({ warm: true, test: true }));
    // -S: no site-packages, so torch and friends cannot be imported even where they are installed.
    const r = python(['-S', 'train.py', '--dry-run', '--processes', '2'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('model        google/flan-t5-base (247,577,856 parameters, d_model 768; from the Hugging Face Hub)');
    expect(r.stdout).toContain("data         26 train, 4 validation, 4 test rows (the studio's split, seed 5)");
    expect(r.stdout).toContain("task         template 'review: {text}'; 'bad' -> 'bad', 'good' -> 'good'");
    expect(r.stdout).toContain('prompt       10 tokens, warm start from init_prompt.safetensors; inputs cut to 246 tokens');
    expect(r.stdout).toContain('40 steps of batch 32 = 2 process(es) x 16 x 1 accumulation');
    expect(r.stdout).toContain('every 10 steps and after the last');
    expect(r.stdout).toContain('stop after 2 without improvement');
    expect(r.stdout).toMatch(/dry run: .* nothing was downloaded or trained/);
    const capped = python(['-S', 'train.py', '--dry-run', '--max-per-device-batch', '8'], { cwd: dir });
    expect(capped.stdout).toContain('1 process(es) x 8 x 4 accumulation');
  });

  it('--dry-run refuses an edited split, a setting out of the contract’s bounds, a prompt of the wrong shape', async () => {
    const fresh = await job({ warm: true });
    const run = (dir: string, ...args: string[]) => python(['-S', 'train.py', '--dry-run', ...args], { cwd: dir });

    const edited = writeJob(fresh);
    writeFileSync(path.join(edited, 'data/train.csv'), `${readFileSync(path.join(edited, 'data/train.csv'), 'utf8')}"one more","good"\n`);
    expect(run(edited)).toMatchObject({ code: 2, stderr: expect.stringContaining('data/train.csv differs from the one exported (sha256)') });

    const bounds = writeJob(fresh);
    editRecipe(bounds, (r) => Object.assign(r.settings, { learningRate: 20, init: 'zeros', batchSize: 2.5 }));
    const b = run(bounds);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('settings.learningRate must be from 0 to 10; got 20');
    expect(b.stderr).toContain("settings.init must be one of labels, vocab, random; got 'zeros'");
    expect(b.stderr).toContain('settings.batchSize must be a whole number; got 2.5');

    const shape = writeJob(fresh);
    editRecipe(shape, (r) => (r.settings.promptLength = 12));
    expect(run(shape).stderr).toContain('the warm-start prompt is 10 x 768; the recipe needs 12 x 768');

    const optimiser = writeJob(fresh);
    editRecipe(optimiser, (r) => (r.optimizer.decayRate = -0.5));
    expect(run(optimiser).stderr).toContain("optimizer.decayRate is -0.5, but this script's Adafactor (transformers' Trainer) uses -0.8");

    const gpus = writeJob(fresh);
    expect(run(gpus, '--processes', '3').stderr).toContain('batch size 32 does not divide over 3 processes');
    expect(run(gpus, '--member', '2').stderr).toContain('--member must be from 1 to 1');
  });
});
