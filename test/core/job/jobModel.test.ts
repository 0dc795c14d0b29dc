/** Which model a job trains: a known Hub id, or any id with its config; refused with the numbers otherwise. */
import { describe, expect, it } from 'vitest';
import { JobError } from '../../../src/core/job/jobError';
import { checkWarmStart, resolveJobModel } from '../../../src/core/job/jobModel';
import { T5_V1_1 } from '../../../src/core/model/t5Catalogue';
import { expectError } from '../../helpers/expectError';

describe('resolveJobModel', () => {
  it('knows the shape of a known id without any file', () => {
    expect(resolveJobModel({ id: 'google/flan-t5-xxl', fromHub: true })).toEqual({
      id: 'google/flan-t5-xxl', fromHub: true, tokenizer: 'google/flan-t5-xxl', dModel: 4096, numLayers: 24, numDecoderLayers: 24, numHeads: 64, vocabSize: 32128, parameters: 11_135_332_352,
    });
  });

  it('takes any id with the model’s own config', () => {
    expect(resolveJobModel({ id: 'me/t5-custom', fromHub: true, config: T5_V1_1.base })).toMatchObject({ id: 'me/t5-custom', dModel: 768 });
    expect(resolveJobModel({ id: 'local folder', fromHub: false, config: T5_V1_1.small })).toMatchObject({ fromHub: false, dModel: 512 });
  });

  it('refuses an unknown id, an id that is not one, and a folder that is not the named model', () => {
    expectError(() => resolveJobModel({ id: 'me/t5-custom', fromHub: true }), JobError, { message: ['unknown model id "me/t5-custom"', '--model DIR', 'google/flan-t5-large'] });
    expectError(() => resolveJobModel({ id: '/data/t5', fromHub: true }), JobError, { message: 'not a Hugging Face model id' });
    expectError(() => resolveJobModel({ id: 'google/flan-t5-large', fromHub: true, config: T5_V1_1.base }), JobError, {
      message: 'the model folder has d_model 768 and 12 layers but google/flan-t5-large has d_model 1024 and 24',
    });
  });
});

describe('checkWarmStart', () => {
  const model = resolveJobModel({ id: 'google/flan-t5-large', fromHub: true });
  it('accepts a prompt of the model’s width and the recipe’s length', () => {
    expect(() => checkWarmStart({ length: 100, width: 1024 }, model, 100)).not.toThrow();
  });
  it('names both numbers when either differs', () => {
    expectError(() => checkWarmStart({ length: 100, width: 768 }, model, 100), JobError, { message: 'the prompt is 768 wide but google/flan-t5-large has d_model 1024' });
    expectError(() => checkWarmStart({ length: 20, width: 1024 }, model, 100), JobError, { message: 'the prompt has 20 tokens but the prompt length is 100' });
  });
});
