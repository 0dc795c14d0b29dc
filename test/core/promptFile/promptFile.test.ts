/**
 * The app's `*.prompt.safetensors` file: bit-exact round trips of values and metadata, and every
 * way a bad file must end in a PromptFileError that says what is wrong (never a crash or NaN prompt).
 */
import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../src/core/io/safetensors';
import { promptFileName, readPromptFile, writePromptFile } from '../../../src/core/promptFile/promptFile';
import { PromptFileError } from '../../../src/core/promptFile/promptFileError';
import { checkPromptWidth, type PromptMetadata, type SoftPrompt } from '../../../src/core/promptFile/softPrompt';
import { expectError } from '../../helpers/expectError';

/** A 3 × 4 prompt with values that lose bits if anything converts through float64 text or rounds. */
function prompt(): SoftPrompt {
  const values = new Float32Array([0.1, -0, 1e-45, 3.4028234663852886e38, -1.5, Math.PI, 2 ** -20, 7, 123456.789, -0.333, 1e-8, 42]);
  return { length: 3, width: 4, values };
}

const metadata: PromptMetadata = {
  format: 'pt',
  baseModel: 'google/t5-v1_1-small',
  dModel: 4,
  labels: ['positive', 'négatif, "très" mauvais', "it's 😀 \\ / \n", ''],
  template: 'sst2 sentence: {text}',
  init: 'labels',
  steps: 1500,
  validation: { accuracy: 0.875, loss: 0.3125 },
  created: '2024-05-01T12:34:56.000Z',
};

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('prompt file round trip', () => {
  it('reads back identical values (bit for bit) and metadata', () => {
    const p = prompt();
    const file = readPromptFile(writePromptFile(p, metadata), 'sst2.prompt.safetensors');
    expect(file.source).toBe('prompt');
    expect(file.notes).toEqual([]);
    expect(file.prompt.length).toBe(3);
    expect(file.prompt.width).toBe(4);
    expect(bits(file.prompt.values)).toEqual(bits(p.values));
    expect(file.metadata).toEqual(metadata);
  });

  it('writes the documented layout: F32 prompt_embeddings [P, d] and string metadata', () => {
    const bytes = writePromptFile(prompt(), metadata);
    const headerLen = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
    expect(header.prompt_embeddings).toEqual({ dtype: 'F32', shape: [3, 4], data_offsets: [0, 48] });
    expect(header.__metadata__).toEqual({
      format: 'pt',
      base_model: 'google/t5-v1_1-small',
      d_model: '4',
      labels: JSON.stringify(metadata.labels),
      template: 'sst2 sentence: {text}',
      init: 'labels',
      steps: '1500',
      validation: '{"accuracy":0.875,"loss":0.3125}',
      created: '2024-05-01T12:34:56.000Z',
    });
  });

  it('fills in format, dModel and created when the caller leaves them out, and skips missing metrics', () => {
    const file = readPromptFile(writePromptFile(prompt(), { validation: { accuracy: undefined, loss: 0.5 } }));
    expect(file.metadata.format).toBe('pt');
    expect(file.metadata.dModel).toBe(4);
    expect(file.metadata.validation).toEqual({ loss: 0.5 });
    expect(Number.isNaN(Date.parse(file.metadata.created!))).toBe(false);
    expect(file.metadata.labels).toBeUndefined();
  });

  it('reads a foreign file with no metadata, converting F16 and noting it', () => {
    // Hand-built header: one F16 tensor [1, 2] holding 1.0 (0x3c00) and -2.0 (0xc000).
    const header = new TextEncoder().encode(JSON.stringify({ prompt_embeddings: { dtype: 'F16', shape: [1, 2], data_offsets: [0, 4] } }));
    const bytes = new Uint8Array(8 + header.length + 4);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    bytes.set([0x00, 0x3c, 0x00, 0xc0], 8 + header.length);
    const file = readPromptFile(bytes, 'foreign.safetensors');
    expect(Array.from(file.prompt.values)).toEqual([1, -2]);
    expect(file.metadata).toEqual({ format: 'pt', dModel: 2 });
    expect(file.notes.join(' ')).toContain('F16');
  });

  it('drops damaged optional metadata with a note instead of refusing the prompt', () => {
    const bytes = writeSafetensors({ prompt_embeddings: { shape: [1, 2], data: new Float32Array([1, 2]) } }, { labels: 'not json', steps: 'many' });
    const file = readPromptFile(bytes, 'x.prompt.safetensors');
    expect(file.metadata.labels).toBeUndefined();
    expect(file.metadata.steps).toBeUndefined();
    expect(file.notes).toHaveLength(2);
  });

  it('suggests a download name with the conventional suffix', () => {
    expect(promptFileName('t5-small/sst2')).toBe('t5-small_sst2.prompt.safetensors');
    expect(promptFileName('a.prompt.safetensors')).toBe('a.prompt.safetensors');
  });
});

describe('bad prompt files', () => {
  it('refuses NaN and Infinity when reading, naming where', () => {
    const values = new Float32Array([1, 2, 3, NaN, 5, Infinity]);
    const bytes = writeSafetensors({ prompt_embeddings: { shape: [2, 3], data: values } });
    const err = expectError(() => readPromptFile(bytes, 'diverged.prompt.safetensors'), PromptFileError, { code: 'non-finite', message: ['NaN', '2 non-finite values', 'row 1, column 0'] });
    expect(err.message).toContain('diverged.prompt.safetensors');
  });

  it('refuses NaN when writing, so it never produces a file it would refuse to read', () => {
    const p = prompt();
    p.values[5] = NaN;
    expectError(() => writePromptFile(p, metadata), PromptFileError, { code: 'non-finite' });
  });

  it('turns truncated files into PromptFileError, not a crash', () => {
    const bytes = writePromptFile(prompt(), metadata);
    for (const cut of [0, 4, 12, bytes.length - 1]) {
      const err = expectError(() => readPromptFile(bytes.slice(0, cut), 'cut.prompt.safetensors'), PromptFileError, { code: 'damaged', message: 'cut.prompt.safetensors' });
      expect(err.message).not.toContain('cut.prompt.safetensors: cut.prompt.safetensors'); // file named once
    }
  });

  it('needs a prompt_embeddings tensor and names what the file holds instead', () => {
    const bytes = writeSafetensors({ 'shared.weight': { shape: [2, 2], data: new Float32Array(4) } });
    expectError(() => readPromptFile(bytes, 'model.safetensors'), PromptFileError, { code: 'missing-tensor', message: ['prompt_embeddings', '"shared.weight"'] });
  });

  it('needs rank 2 and a non-empty prompt', () => {
    const rank1 = writeSafetensors({ prompt_embeddings: { shape: [4], data: new Float32Array(4) } });
    expectError(() => readPromptFile(rank1), PromptFileError, { code: 'bad-shape', message: '[4]' });
    const empty = writeSafetensors({ prompt_embeddings: { shape: [0, 4], data: new Float32Array(0) } });
    expectError(() => readPromptFile(empty), PromptFileError, { code: 'bad-shape', message: '[0, 4]' });
  });

  it('needs floating point values', () => {
    const header = new TextEncoder().encode(JSON.stringify({ prompt_embeddings: { dtype: 'I64', shape: [1, 1], data_offsets: [0, 8] } }));
    const bytes = new Uint8Array(8 + header.length + 8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    expectError(() => readPromptFile(bytes), PromptFileError, { code: 'bad-dtype', message: 'I64' });
  });

  it('refuses a d_model in the metadata that contradicts the tensor', () => {
    const bytes = writeSafetensors({ prompt_embeddings: { shape: [1, 2], data: new Float32Array(2) } }, { d_model: '512' });
    expectError(() => readPromptFile(bytes), PromptFileError, { code: 'bad-metadata', message: ['512', '2 wide'] });
  });

  it('refuses a values array that does not match the shape when writing', () => {
    expectError(() => writePromptFile({ length: 2, width: 4, values: new Float32Array(7) }, {}), PromptFileError, { code: 'bad-shape', message: ['8', '7'] });
  });
});

describe('checkPromptWidth', () => {
  it('accepts a prompt as wide as the model', () => {
    expect(() => checkPromptWidth(readPromptFile(writePromptFile(prompt(), metadata)), 4)).not.toThrow();
  });

  it('names both widths and the base model when they differ', () => {
    const file = readPromptFile(writePromptFile(prompt(), metadata));
    expectError(() => checkPromptWidth(file, 64), PromptFileError, { code: 'width-mismatch', message: ['this prompt is 4 wide', "the model's d_model is 64", 'google/t5-v1_1-small'] });
  });
});
