/**
 * Prompts trained elsewhere come back: an adapter shaped exactly as PEFT saves a T5-large prompt
 * (1024 wide, float32, or bf16 from a bf16 run, {format: "pt"} only, or with the metadata the
 * exported job's train.py adds) imports and fits T5-large's width and no other. That such adapters
 * vote as an ensemble and feed neighbours is checked end to end in test/cli/exportJob.test.ts.
 */
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../src/core/io/safetensors';
import { findKnownT5 } from '../../../src/core/model/t5Catalogue';
import { checkPromptWidth, importPrompt } from '../../../src/core/promptFile/peftAdapter';
import { PromptFileError } from '../../../src/core/promptFile/promptFileError';
import { expectError } from '../../helpers/expectError';
import { peftConfig } from '../../helpers/peftConfig';

const P = 100;
const D = 1024; // T5-large / Flan-T5-large d_model
const large = findKnownT5('google/flan-t5-large')!;
const values = Float32Array.from({ length: P * D }, (_, i) => Math.sin(i / 7) * 0.8);
/** adapter_config.json as PEFT writes it for PromptTuningConfig on T5-large with one (encoder) submodule. */
const config = strToU8(JSON.stringify(peftConfig(P, D, { base_model_name_or_path: 'google/flan-t5-large', num_attention_heads: 16, num_layers: 24, peft_version: '0.13.2' })));

/** bf16 keeps the top 16 bits of the float32 pattern (truncation; PyTorch rounds, close enough for a shape test). */
function bf16(x: Float32Array): Uint8Array {
  const words = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const out = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = words[i]! >>> 16;
  return new Uint8Array(out.buffer);
}

/** A one-tensor safetensors file in any dtype (our writer only writes F32), with PEFT's metadata. */
function rawSafetensors(dtype: string, data: Uint8Array): Uint8Array {
  let header = strToU8(JSON.stringify({ __metadata__: { format: 'pt' }, prompt_embeddings: { dtype, shape: [P, D], data_offsets: [0, data.length] } }));
  header = Uint8Array.from([...header, ...new Array((8 - (header.length % 8)) % 8).fill(0x20)]);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

describe('a PEFT adapter trained on T5-large', () => {
  it('imports as PEFT saves it (float32, {format: "pt"} only) and fits T5-large', () => {
    expect(large.config.dModel).toBe(D);
    const weights = writeSafetensors({ prompt_embeddings: { shape: [P, D], data: values } }, { format: 'pt' });
    const file = importPrompt([{ name: 'adapter_model.safetensors', bytes: weights }, { name: 'adapter_config.json', bytes: config }]);
    expect(file.source).toBe('peft');
    expect(file.prompt).toMatchObject({ length: P, width: D });
    expect(file.prompt.values).toEqual(values);
    expect(file.metadata).toMatchObject({ dModel: D, baseModel: 'google/flan-t5-large', init: 'RANDOM' });
    expect(() => checkPromptWidth(file, large.config.dModel)).not.toThrow();
    expectError(() => checkPromptWidth(file, findKnownT5('google/flan-t5-base')!.config.dModel), PromptFileError, { code: 'width-mismatch', message: ['1024 wide', 'd_model is 768', 'google/flan-t5-large'] });
  });

  it('imports a bf16 run’s adapter, converted to float32 with a note', () => {
    const weights = rawSafetensors('BF16', bf16(values));
    const file = importPrompt([{ name: 'adapter_model.safetensors', bytes: weights }, { name: 'adapter_config.json', bytes: config }]);
    expect(file.prompt.width).toBe(D);
    expect(file.notes.join(' ')).toContain('BF16');
    for (const i of [0, 1, 777, P * D - 1]) expect(file.prompt.values[i]).toBeCloseTo(values[i]!, 2);
  });

  it('keeps the labels, label map and template the job writes, from a zip of the adapter folder', () => {
    const metadata = {
      format: 'pt', d_model: String(D), base_model: 'google/flan-t5-large', labels: JSON.stringify(['positive', 'negative']), label_map: JSON.stringify({ '1': 'positive', '0': 'negative' }),
      template: 'review: {text}', init: 'labels', steps: '2000', validation: JSON.stringify({ accuracy: 0.93, loss: 0.2 }), created: '2026-12-01T00:00:00Z',
    };
    const weights = writeSafetensors({ prompt_embeddings: { shape: [P, D], data: values } }, metadata);
    const zip = zipSync({ 'adapter/adapter_model.safetensors': weights, 'adapter/adapter_config.json': config, 'adapter/metrics.json': strToU8('{}') });
    const file = importPrompt([{ name: 'adapter.zip', bytes: zip }]);
    expect(file.metadata).toMatchObject({ labels: ['positive', 'negative'], labelValues: ['1', '0'], template: 'review: {text}', init: 'labels', steps: 2000, validation: { accuracy: 0.93, loss: 0.2 } });
  });
});
