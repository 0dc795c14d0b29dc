/** The studio's "Continue on a GPU cluster": the bundled train.py, the Data step's label texts, one folder in the zip. */
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { clusterJobZip, CLUSTER_MODELS, defaultClusterModel } from '../../../src/app/keep/clusterJob';
import { JobError } from '../../../src/core/job/jobError';
import { modelsOfWidth, warmStartMismatch } from '../../../src/app/keep/clusterModels';
import type { JobRecipe } from '../../../src/core/job/jobRecipe';
import { readPromptFile, writePromptFile } from '../../../src/core/promptFile/promptFile';
import { withDefaults } from '../../../src/core/settings/trainingSettings';
import { expectRejection } from '../../helpers/expectError';
import { python, TRAIN_PY } from '../../helpers/python';

const examples = Array.from({ length: 20 }, (_, i) => ({ text: `email ${i}`, label: i % 2 ? '1' : '0' }));

describe('clusterJobZip', () => {
  it('zips the whole job under one folder, with the bundled train.py and the label texts', async () => {
    const settings = withDefaults({ promptLength: 50, seed: 4 });
    const { fileName, bytes, job } = await clusterJobZip({ modelId: 'google/t5-xl-lm-adapt', examples, settings, rename: { '1': 'spam', '0': 'ham' } });
    expect(fileName).toBe('prompt-job-google_t5-xl-lm-adapt.zip');
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual(job.files.map((f) => `prompt-job-google_t5-xl-lm-adapt/${f.path}`).sort());
    expect(strFromU8(files['prompt-job-google_t5-xl-lm-adapt/train.py']!)).toBe(readFileSync(TRAIN_PY, 'utf8'));
    expect(job.recipe.task).toMatchObject({ labels: ['0', '1'], targetTexts: ['ham', 'spam'] });
    expect(job.recipe.cluster.zero3).toBe(true);
    expect(job.recipe.settings).toMatchObject({ promptLength: 50, seed: 4 });
  });

  it('offers every known T5 and starts from the loaded one when the cluster knows it', () => {
    expect(CLUSTER_MODELS.flatMap((g) => g.models)).toHaveLength(20);
    expect(defaultClusterModel('google/flan-t5-small')).toBe('google/flan-t5-small');
    expect(defaultClusterModel('demo')).toBe('google/flan-t5-large');
    expect(defaultClusterModel(undefined)).toBe('google/flan-t5-large');
  });

  it('says what is wrong instead of writing a job that cannot run', async () => {
    await expectRejection(clusterJobZip({ modelId: 'google/flan-t5-large', examples, settings: withDefaults({ promptLength: 300, maxInputTokens: 256 }) }), JobError, { message: 'leaves no room for text' });
  });

  it("writes a text-to-text job with the settings' template and the rows' other columns, without the label texts", async () => {
    const qa = Array.from({ length: 12 }, (_, i) => ({ text: `context ${i}`, label: `answer ${i}`, fields: { question: `question ${i}?` } }));
    const template = 'question: {question} context: {text}';
    const { bytes, job } = await clusterJobZip({ modelId: 'google/flan-t5-large', examples: qa, settings: withDefaults({ promptLength: 2, template }), rename: { 'answer 0': 'ignored' }, kind: 'text' });
    expect(job.recipe.task).toEqual({ kind: 'text', labels: [], targetTexts: [], template, maxInputTokens: 256, fields: ['question'], initTexts: ['answer 0', 'answer 1'] });
    const train = strFromU8(unzipSync(bytes)['prompt-job-google_flan-t5-large/data/train.csv']!);
    expect(train.split('\n')[0]).toBe('"text","label","question"');
    // One stratum for free-text targets: 10% of 12 rows held out, not one row per answer.
    expect(job.recipe.data.validation?.rows).toBe(1);
  });
});

describe('clusterJobZip with the current prompt', () => {
  // As the worker exports it: a prompt file for Flan-T5 small (d_model 512), 7 tokens.
  const values = Float32Array.from({ length: 7 * 512 }, (_, i) => Math.sin(i) / 4);
  const prompt = { name: 'flan-t5-small.prompt.safetensors', bytes: writePromptFile({ length: 7, width: 512, values }, { dModel: 512, baseModel: 'google/flan-t5-small' }) };
  const folder = 'prompt-job-google_flan-t5-small';

  it('puts it in the job as the warm start, referenced by the recipe and the README, its length the job’s', async () => {
    const { bytes, job } = await clusterJobZip({ modelId: 'google/flan-t5-small', examples, settings: withDefaults({ promptLength: 50 }), prompt });
    const files = unzipSync(bytes);
    const init = files[`${folder}/init_prompt.safetensors`]!;
    const back = readPromptFile(init);
    expect([back.prompt.length, back.prompt.width]).toEqual([7, 512]);
    expect(back.prompt.values).toEqual(values);
    const recipe = JSON.parse(strFromU8(files[`${folder}/recipe.json`]!)) as JobRecipe;
    expect(recipe.warmStart).toEqual({ file: 'init_prompt.safetensors', length: 7, width: 512, sha256: createHash('sha256').update(init).digest('hex') });
    expect(recipe.settings.promptLength).toBe(7);
    // train.py gives PEFT token_dim = the model's d_model and checks the prompt against it: Flan-T5 small's is 512.
    expect(recipe.model.dModel).toBe(512);
    expect(recipe.warmStart!.width).toBe(recipe.model.dModel);
    expect(job.recipe.warmStart?.width).toBe(512);
    expect(strFromU8(files[`${folder}/README.md`]!)).toContain('`init_prompt.safetensors`: the prompt training starts from (7 × 512)');

    // The job's own dry run (standard library only) checks the prompt against the recipe and says it starts from it.
    const dir = mkdtempSync(path.join(tmpdir(), 'cluster-warm-'));
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), data);
    }
    const dry = python(['-S', 'train.py', '--dry-run'], { cwd: path.join(dir, folder) });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('warm start from init_prompt.safetensors');
  });

  it('refuses a model of another width with both numbers and the models the prompt fits', async () => {
    expect(modelsOfWidth(512)).toEqual(expect.arrayContaining(['google/flan-t5-small', 'google/t5-small-lm-adapt']));
    expect(modelsOfWidth(512).every((id) => !id.includes('xl'))).toBe(true);
    expect(warmStartMismatch(512, 'google/flan-t5-small')).toBeUndefined();
    await expectRejection(clusterJobZip({ modelId: 'google/flan-t5-xl', examples, settings: withDefaults({}), prompt }), JobError, {
      message: ['The current prompt is 512 wide but google/flan-t5-xl has d_model 2048', 'Pick one with d_model 512 (', 'google/flan-t5-small', 'or leave the prompt out'],
    });
  });
});
