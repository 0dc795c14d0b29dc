/**
 * The job folder as files: recipe.json holds every setting of the settings contract with its
 * bounds, data/ holds exactly the split the studio trains on, a warm-start prompt travels along,
 * XL/XXL get the ZeRO-3 profile, and a job that cannot run is refused before any file exists.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { buildJob, rowsCsv, scriptDependencies, type JobInput } from '../../../src/core/job/jobFiles';
import { JobError } from '../../../src/core/job/jobError';
import { resolveJobModel } from '../../../src/core/job/jobModel';
import { RECIPE_FORMAT } from '../../../src/core/job/jobRecipe';
import { readPromptFile } from '../../../src/core/promptFile/promptFile';
import { SETTING_KEYS, TRAINING_SETTINGS, withDefaults, type TrainingSettings } from '../../../src/core/settings/trainingSettings';
import type { LabeledExample } from '../../../src/core/task/task';
import { taskFromExamples } from '../../../src/core/task/taskFormat';
import { trainingSplit } from '../../../src/core/task/trainingSplit';
import { expectRejection } from '../../helpers/expectError';
import { TRAIN_PY } from '../../helpers/python';

const script = readFileSync(TRAIN_PY, 'utf8');
const examples: LabeledExample[] = Array.from({ length: 40 }, (_, i) => ({ text: `review ${i}, "quoted"\nsecond line`, label: ['pos', 'neg', 'meh'][i % 3]! }));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function input(settings: Partial<TrainingSettings> = {}, over: Partial<JobInput> = {}): JobInput {
  const s = withDefaults({ promptLength: 20, ...settings });
  return {
    model: resolveJobModel({ id: 'google/flan-t5-base', fromHub: true }),
    settings: s,
    task: taskFromExamples(examples, { maxInputTokens: s.maxInputTokens, rename: { pos: 'positive', neg: 'negative' } }),
    split: trainingSplit(examples, s),
    script,
    created: new Date('2026-01-02T03:04:05Z'),
    ...over,
  };
}

const file = (job: Awaited<ReturnType<typeof buildJob>>, path: string) => job.files.find((f) => f.path === path)?.bytes;

describe('buildJob', () => {
  it('writes train.py, the recipe, the split, the launch configurations and a README', async () => {
    const job = await buildJob(input());
    expect(job.files.map((f) => f.path)).toEqual([
      'train.py', 'recipe.json', 'README.md', 'data/train.csv', 'data/validation.csv',
      'accelerate/multi_gpu.yaml', 'accelerate/zero3.yaml', 'deepspeed/zero3.json',
    ]);
    expect(text(file(job, 'train.py')!)).toBe(script);
    expect(JSON.parse(text(file(job, 'recipe.json')!))).toEqual(job.recipe);
    expect(JSON.parse(text(file(job, 'deepspeed/zero3.json')!)).zero_optimization.stage).toBe(3);
  });

  it('puts every setting of the contract in the recipe under its own key, with the contract’s bounds', async () => {
    const settings = withDefaults({ promptLength: 20, optimizer: 'adam', epochs: 3, dropoutRate: 0.05, seed: 7, ensembleSize: 2, patience: 4 });
    const { recipe } = await buildJob(input(settings));
    expect(recipe.format).toBe(RECIPE_FORMAT);
    expect(Object.keys(recipe.settings)).toEqual(SETTING_KEYS);
    for (const key of SETTING_KEYS) expect(recipe.settings[key] ?? undefined, key).toEqual(settings[key]);
    expect(recipe.settings.learningRate).toBe(1e-3); // Adam's default rate, from the contract
    expect(recipe.settingLimits.promptLength).toEqual({ kind: 'int', min: TRAINING_SETTINGS.promptLength.min, max: TRAINING_SETTINGS.promptLength.max });
    expect(recipe.settingLimits.learningRate).toMatchObject({ min: 0, minInclusive: false });
    expect(recipe.settingLimits.dropoutRate).toMatchObject({ optional: true });
    expect(recipe.settingLimits.init).toEqual({ kind: 'choice', choices: ['labels', 'vocab', 'random'] });
    // epochs become steps as the trainer counts them: ceil(3 × 37 training rows / 32)
    expect(recipe.data.train.rows).toBe(37);
    expect(recipe.steps).toBe(Math.ceil((3 * 37) / 32));
    expect(recipe.optimizer).toEqual({ name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect((await buildJob(input())).recipe.optimizer).toMatchObject({ name: 'adafactor', decayRate: -0.8, clipThreshold: 1, weightDecay: 1e-5, scaleParameter: false });
  });

  it('writes exactly the studio’s split, rows in order, with hashes train.py checks', async () => {
    const job = await buildJob(input({ seed: 3, validationFraction: 0.25 }));
    const split = trainingSplit(examples, { seed: 3, validationFraction: 0.25 });
    for (const part of ['train', 'validation'] as const) {
      const rows = Papa.parse<string[]>(text(file(job, `data/${part}.csv`)!).trimEnd(), { newline: '\n' }).data;
      expect(rows[0]).toEqual(['text', 'label']);
      expect(rows.slice(1)).toEqual(split[part].map((e) => [e.text, e.label]));
      expect(job.recipe.data[part]).toMatchObject({ file: `data/${part}.csv`, rows: split[part].length });
      expect(job.recipe.data[part]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(job.recipe.task).toEqual({ labels: ['pos', 'neg', 'meh'], targetTexts: ['positive', 'negative', 'meh'], template: '{text}', maxInputTokens: 256 });
  });

  it('adds a test set and a warm-start prompt when given', async () => {
    const values = Float32Array.from({ length: 20 * 768 }, (_, i) => Math.sin(i));
    const warmStart = { prompt: { length: 20, width: 768, values }, metadata: { format: 'pt' as const, dModel: 768 }, source: 'prompt' as const, notes: [] };
    const job = await buildJob(input({}, { test: examples.slice(0, 5), warmStart }));
    expect(job.recipe.data.test).toMatchObject({ file: 'data/test.csv', rows: 5 });
    expect(job.recipe.warmStart).toMatchObject({ file: 'init_prompt.safetensors', length: 20, width: 768 });
    expect(readPromptFile(file(job, 'init_prompt.safetensors')!).prompt.values).toEqual(values);
  });

  it('gives XL and XXL the ZeRO-3, bf16, checkpointing profile; base trains in fp32', async () => {
    expect((await buildJob(input())).recipe.cluster).toEqual({ precision: 'fp32', zero3: false, gradientCheckpointing: false });
    const xxl = await buildJob(input({}, { model: resolveJobModel({ id: 'google/t5-xxl-lm-adapt', fromHub: true }) }));
    expect(xxl.recipe.cluster).toEqual({ precision: 'bf16', zero3: true, gradientCheckpointing: true });
    const readme = text(file(xxl, 'README.md')!);
    expect(readme).toContain('.venv/bin/accelerate launch --config_file accelerate/zero3.yaml train.py');
    // The install line lists exactly what train.py declares, plus DeepSpeed for ZeRO-3.
    expect(readme).toContain(`uv pip install ${scriptDependencies(script).map((d) => `"${d}"`).join(' ')} deepspeed`);
    expect(scriptDependencies(script)).toEqual(expect.arrayContaining(['peft>=0.10', 'transformers>=4.41,<5', 'accelerate>=0.27']));
  });

  it('says in the README when the model is not on the Hub, and what was not run', async () => {
    const local = await buildJob(input({}, { model: { ...resolveJobModel({ id: 'google/flan-t5-base', fromHub: true }), id: 'my-t5', fromHub: false } }));
    const readme = text(file(local, 'README.md')!);
    expect(readme).toContain('is **not** a Hub id');
    expect(readme).toContain('has never been run');
    expect(text(file(await buildJob(input()), 'README.md')!)).toContain('AutoPeftModelForSeq2SeqLM.from_pretrained');
  });

  it('refuses, before writing anything, settings out of bounds, a prompt of the wrong width or length, and an empty split', async () => {
    await expectRejection(buildJob(input({ promptLength: 0 })), JobError, { message: /--prompt-length: Prompt length must be a whole number from 1 to 500; got 0/ });
    const narrow = { prompt: { length: 20, width: 512, values: new Float32Array(20 * 512) }, metadata: { format: 'pt' as const, dModel: 512 }, source: 'peft' as const, notes: [] };
    await expectRejection(buildJob(input({}, { warmStart: narrow })), JobError, { message: /the prompt is 512 wide but google\/flan-t5-base has d_model 768/ });
    const short = { ...narrow, prompt: { length: 5, width: 768, values: new Float32Array(5 * 768) } };
    await expectRejection(buildJob(input({}, { warmStart: short })), JobError, { message: /the prompt has 5 tokens but the prompt length is 20/ });
    await expectRejection(buildJob(input({}, { split: { train: [], validation: [] } })), JobError, { message: /no training rows/ });
  });

  it('quotes every field so commas, quotes and newlines survive Python’s csv module', () => {
    expect(rowsCsv([{ text: 'a, "b"\nc', label: 'x' }])).toBe('"text","label"\n"a, ""b""\nc","x"\n');
  });
});
