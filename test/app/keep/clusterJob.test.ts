/** The studio's "Continue on a GPU cluster": the bundled train.py, the Data step's label texts, one folder in the zip. */
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { clusterJobZip, CLUSTER_MODELS, defaultClusterModel } from '../../../src/app/keep/clusterJob';
import { JobError } from '../../../src/core/job/jobError';
import { withDefaults } from '../../../src/core/settings/trainingSettings';
import { expectRejection } from '../../helpers/expectError';
import { TRAIN_PY } from '../../helpers/python';

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
});
