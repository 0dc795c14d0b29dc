/**
 * Hugging Face PEFT prompt-tuning adapters: our export read back by an independent decoder
 * (fflate + hand parsing), hand-built adapters like PEFT saves them, and the import dispatcher.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../src/core/io/safetensors';
import { exportPeftZip, importPrompt, readPeftAdapter, readPeftZip } from '../../../src/core/promptFile/peftAdapter';
import { writePromptFile } from '../../../src/core/promptFile/promptFile';
import { PromptFileError } from '../../../src/core/promptFile/promptFileError';
import type { PromptMetadata, SoftPrompt } from '../../../src/core/promptFile/softPrompt';
import { peftConfig as peftAdapterConfig } from '../../helpers/peftConfig';
import { expectError } from '../../helpers/expectError';

const P = 3;
const D = 4;
const values = Float32Array.from({ length: P * D }, (_, i) => (i - 5.5) / 7 + 1e-7 * i);
const prompt: SoftPrompt = { length: P, width: D, values };
const metadata: PromptMetadata = {
  format: 'pt',
  baseModel: 'google/t5-v1_1-small',
  dModel: D,
  labels: ['yes, "really"', 'non — 否'],
  template: 'q: {text}',
  init: 'vocab',
  steps: 10,
  validation: { accuracy: 1, loss: 0.25 },
  created: '2024-01-02T03:04:05.000Z',
};

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** PEFT's config for this file's P × D prompt. */
const peftConfig = (over: Record<string, unknown> = {}) => peftAdapterConfig(P, D, over);


/** adapter_model.safetensors as PEFT writes it: only the tensor and {format: "pt"}. */
const peftWeights = (rows: number, data: Float32Array = new Float32Array(rows * D).map((_, i) => i)) =>
  writeSafetensors({ prompt_embeddings: { shape: [rows, D], data } }, { format: 'pt' });

describe('exportPeftZip', () => {
  it('writes the two files PEFT loads, with the config fields PEFT expects', () => {
    const files = unzipSync(exportPeftZip(prompt, metadata, { numAttentionHeads: 6, numLayers: 8 }));
    expect(Object.keys(files).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    const config = JSON.parse(strFromU8(files['adapter_config.json']!));
    expect(config.peft_type).toBe('PROMPT_TUNING');
    expect(config.task_type).toBe('SEQ_2_SEQ_LM');
    expect(config.num_virtual_tokens).toBe(P);
    expect(config.token_dim).toBe(D);
    expect(config.num_transformer_submodules).toBe(1);
    expect(config.base_model_name_or_path).toBe('google/t5-v1_1-small');
    expect(config.prompt_tuning_init).toBe('RANDOM');
    expect(config.inference_mode).toBe(true);
    expect(config.num_attention_heads).toBe(6);
    expect(config.num_layers).toBe(8);
    expect(Object.keys(config)).toEqual(Object.keys(config).sort()); // sorted, as PEFT writes it

    // Decode the tensor by hand: 8-byte header length, JSON header, little-endian F32 data.
    const st = files['adapter_model.safetensors']!;
    const n = Number(new DataView(st.buffer, st.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(strFromU8(st.subarray(8, 8 + n)));
    expect(header.prompt_embeddings.dtype).toBe('F32');
    expect(header.prompt_embeddings.shape).toEqual([P, D]);
    expect(header.__metadata__.format).toBe('pt');
    const [b, e] = header.prompt_embeddings.data_offsets as [number, number];
    expect(bits(new Float32Array(st.slice(8 + n + b, 8 + n + e).buffer))).toEqual(bits(values));
  });

  it('round trips through readPeftZip with identical values and metadata', () => {
    const file = readPeftZip(exportPeftZip({ prompt, metadata, source: 'prompt', notes: [] }));
    expect(file.source).toBe('peft');
    expect(file.notes).toEqual([]);
    expect([file.prompt.length, file.prompt.width]).toEqual([P, D]);
    expect(bits(file.prompt.values)).toEqual(bits(values));
    expect(file.metadata).toEqual(metadata);
  });

  it('leaves heads and layers null for PEFT to fill from the model config', () => {
    const config = JSON.parse(strFromU8(unzipSync(exportPeftZip(prompt, metadata))['adapter_config.json']!));
    expect(config.num_attention_heads).toBeNull();
    expect(config.num_layers).toBeNull();
  });
});

describe('readPeftAdapter', () => {
  it('reads an adapter as PEFT saves it, taking the base model and init from the config', () => {
    const file = readPeftAdapter(peftWeights(P), JSON.stringify(peftConfig()));
    expect(Array.from(file.prompt.values)).toEqual(Array.from({ length: P * D }, (_, i) => i));
    expect(file.metadata).toEqual({ format: 'pt', dModel: D, baseModel: 't5-small', init: 'RANDOM' });
    expect(file.notes).toEqual([]);
  });

  it('uses the first P rows when the adapter holds encoder and decoder prompts', () => {
    const file = readPeftAdapter(peftWeights(2 * P), peftConfig({ num_transformer_submodules: 2 }));
    expect(file.prompt.length).toBe(P);
    expect(Array.from(file.prompt.values)).toEqual(Array.from({ length: P * D }, (_, i) => i));
    expect(file.notes).toContain(`the adapter holds 2 prompts (encoder and decoder); using the first ${P} rows as the encoder prompt.`);
  });

  it('infers 2 submodules from the rows when the config leaves it out', () => {
    const config = peftConfig();
    delete config.num_transformer_submodules;
    const file = readPeftAdapter(peftWeights(2 * P), config);
    expect(file.prompt.length).toBe(P);
    expect(file.notes.join(' ')).toContain('2 prompts');
  });

  it('refuses other adapter kinds, naming them', () => {
    expectError(() => readPeftAdapter(peftWeights(P), peftConfig({ peft_type: 'LORA' })), PromptFileError, { code: 'not-prompt-tuning', message: ['LORA', 'PROMPT_TUNING'] });
  });

  it('refuses a tensor that does not match the config, with both numbers', () => {
    expectError(() => readPeftAdapter(peftWeights(5), peftConfig()), PromptFileError, { code: 'bad-shape', message: ['5 rows', `num_virtual_tokens ${P}`, `= ${P}`] });
    expectError(() => readPeftAdapter(peftWeights(P), peftConfig({ token_dim: 512 })), PromptFileError, { code: 'bad-shape', message: [`${D} wide`, 'token_dim 512'] });
  });

  it('refuses missing or invalid config fields', () => {
    expectError(() => readPeftAdapter(peftWeights(P), peftConfig({ num_virtual_tokens: null })), PromptFileError, { code: 'bad-config', message: 'num_virtual_tokens' });
    expectError(() => readPeftAdapter(peftWeights(P), '{not json'), PromptFileError, { code: 'bad-config', message: 'JSON' });
    expectError(() => readPeftAdapter(peftWeights(P), peftConfig({ num_transformer_submodules: 3 })), PromptFileError, { code: 'bad-config', message: '3' });
  });

  it('refuses NaN in the adapter', () => {
    const data = new Float32Array(P * D);
    data[7] = NaN;
    expectError(() => readPeftAdapter(peftWeights(P, data), peftConfig()), PromptFileError, { code: 'non-finite', message: 'NaN' });
  });

  it('turns a truncated adapter into a PromptFileError', () => {
    const bytes = peftWeights(P);
    expectError(() => readPeftAdapter(bytes.slice(0, bytes.length - 3), peftConfig()), PromptFileError, { code: 'damaged', message: 'adapter_model.safetensors' });
  });
});

describe('readPeftZip', () => {
  it('finds the adapter inside a folder, ignoring other files', () => {
    const zip = zipSync({
      'my-adapter/README.md': strToU8('# hi'),
      'my-adapter/adapter_model.safetensors': peftWeights(P),
      'my-adapter/adapter_config.json': strToU8(JSON.stringify(peftConfig())),
    });
    expect(readPeftZip(zip).prompt.length).toBe(P);
  });

  it('says what is missing from a zip without an adapter, and refuses non-zips', () => {
    expectError(() => readPeftZip(zipSync({ 'notes.txt': strToU8('x') }), 'a.zip'), PromptFileError, { code: 'unrecognised-files', message: ['a.zip', 'adapter_config.json'] });
    expectError(() => readPeftZip(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2]), 'b.zip'), PromptFileError, { code: 'bad-zip', message: 'b.zip' });
  });
});

describe('importPrompt', () => {
  const promptBytes = writePromptFile(prompt, metadata);
  const pair = [
    { name: 'adapter_model.safetensors', bytes: peftWeights(P) },
    { name: 'adapter_config.json', bytes: strToU8(JSON.stringify(peftConfig())) },
  ];

  it('accepts a prompt file, an adapter pair (with extra files), or a zip', () => {
    expect(importPrompt([{ name: 'sst2.prompt.safetensors', bytes: promptBytes }]).source).toBe('prompt');
    expect(importPrompt([...pair, { name: 'README.md', bytes: strToU8('#') }]).source).toBe('peft');
    const zipped = importPrompt([{ name: 'download', bytes: exportPeftZip(prompt, metadata) }]);
    expect(bits(zipped.prompt.values)).toEqual(bits(values));
  });

  it('tries a lone renamed .safetensors file as a prompt file', () => {
    expect(importPrompt([{ name: 'sst2.prompt (1).safetensors', bytes: promptBytes }]).prompt.length).toBe(P);
  });

  it('says what is expected for an unrecognised set of files', () => {
    expectError(() => importPrompt([{ name: 'data.csv', bytes: strToU8('a,b') }]), PromptFileError, { code: 'unrecognised-files', message: ['"data.csv"', '.prompt.safetensors', 'adapter_config.json'] });
    expectError(() => importPrompt([]), PromptFileError, { code: 'unrecognised-files', message: 'no files' });
    expectError(() => importPrompt([pair[0]!]), PromptFileError, { code: 'unrecognised-files', message: 'adapter_config.json' });
    expectError(() => importPrompt([pair[1]!]), PromptFileError, { code: 'unrecognised-files', message: 'adapter_model.safetensors' });
    expectError(() => importPrompt([{ name: 'a.prompt.safetensors', bytes: promptBytes }, ...pair]), PromptFileError, { code: 'unrecognised-files', message: 'one at a time' });
  });
});
