/**
 * The safetensors reader and writer: round trips, hand-built files with hand-computed values,
 * and every malformed-file path, which must end in a ModelFileError naming the problem.
 * Expected values come from the format's definition, decoded here independently of the reader.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../../../src/core/io/modelFileError';
import { parseSafetensors, writeSafetensors } from '../../../src/core/io/safetensors';
import { expectError } from '../../helpers/expectError';

const fixture = (path: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url))));

/** Assemble a file by hand: 8-byte LE header length (overridable, to lie about it), header text, data. */
function rawFile(header: object | string, data: Uint8Array = new Uint8Array(0), headerLength?: bigint): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

/** Little-endian 16-bit words as bytes. */
function u16Bytes(words: number[]): Uint8Array {
  const out = new Uint8Array(words.length * 2);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint16(2 * i, w, true));
  return out;
}

describe('writeSafetensors → parseSafetensors', () => {
  const tensors = {
    'a.weight': { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, 1e-30, -65504]) },
    scalar: { shape: [], data: new Float32Array([Math.PI]) },
    empty: { shape: [4, 0], data: new Float32Array(0) },
    'b.bias': { shape: [5], data: new Float32Array([Infinity, -Infinity, -0, 7, 2 ** -149]) },
  };
  const metadata = { format: 'pt', note: 'héllo — ✓ multi-byte', empty: '' };
  const bytes = writeSafetensors(tensors, metadata);
  const parsed = parseSafetensors(bytes, 'round-trip.safetensors');

  it('keeps names in order, shapes, dtypes and every value bit for bit', () => {
    expect(parsed.names()).toEqual(['a.weight', 'scalar', 'empty', 'b.bias']);
    for (const [name, t] of Object.entries(tensors)) {
      expect(parsed.info(name)).toMatchObject({ name, dtype: 'F32', shape: t.shape });
      expect(Array.from(parsed.readF32(name)), name).toEqual(Array.from(t.data));
    }
    expect(Object.is(parsed.readF32('b.bias')[2], -0)).toBe(true);
  });

  it('keeps the metadata', () => {
    expect(parsed.metadata).toEqual(metadata);
    expect(parsed.fileName).toBe('round-trip.safetensors');
  });

  it('follows the layout: LE header length, JSON header, 8-byte aligned data section of exactly the tensor bytes', () => {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const headerLen = Number(view.getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
    expect(header.__metadata__).toEqual(metadata);
    expect(header['a.weight']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(header['b.bias'].data_offsets).toEqual([28, 48]);
    expect(bytes.length).toBe(8 + headerLen + (6 + 1 + 0 + 5) * 4);
    // The first tensor's bytes sit right at the start of the data section.
    expect(view.getFloat32(8 + headerLen + 4, true)).toBe(-2);
  });

  it('stays 8-byte aligned for every header length', () => {
    for (let n = 1; n <= 8; n++) {
      const out = writeSafetensors({ ['x'.repeat(n)]: { shape: [1], data: new Float32Array([n]) } });
      const headerLen = Number(new DataView(out.buffer).getBigUint64(0, true));
      expect((8 + headerLen) % 8, `name length ${n}`).toBe(0);
      expect(Array.from(parseSafetensors(out).readF32('x'.repeat(n)))).toEqual([n]);
    }
  });

  it('omits __metadata__ when there is none', () => {
    const out = writeSafetensors({ x: { shape: [1], data: new Float32Array([1]) } });
    const parsedOut = parseSafetensors(out);
    expect(parsedOut.metadata).toEqual({});
    expect(new TextDecoder().decode(out)).not.toContain('__metadata__');
  });

  it('refuses data that does not match the shape', () => {
    expect(() => writeSafetensors({ x: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(/shape \[2, 2\] holds 4 values, data has 3/);
  });

  it('returns copies: changing a result does not change the next read', () => {
    const first = parsed.readF32('a.weight');
    first[0] = 42;
    expect(parsed.readF32('a.weight')[0]).toBe(1);
  });
});

describe('hand-built files', () => {
  it('decodes F16, subnormals and specials included', () => {
    const words = [0x3c00, 0xc000, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x3555, 0x7c00, 0xfc00, 0x8000, 0x7e00];
    const expected = [1, -2, 2 ** -24, 1023 * 2 ** -24, 2 ** -14, 65504, 0.333251953125, Infinity, -Infinity, -0, NaN];
    const file = rawFile({ h: { dtype: 'F16', shape: [words.length], data_offsets: [0, words.length * 2] } }, u16Bytes(words));
    const values = Array.from(parseSafetensors(file).readF32('h'));
    expect(values).toEqual(expected); // toEqual treats NaN as equal to NaN and tells -0 from 0
  });

  it('decodes BF16 as the upper half of a float32', () => {
    const words = [0x3fc0, 0x3f80, 0xc040, 0x4049, 0x0001, 0x7f80, 0xff80, 0x8000];
    const expected = [1.5, 1, -3, 3.140625, 2 ** -133, Infinity, -Infinity, -0];
    const file = rawFile({ b: { dtype: 'BF16', shape: [2, 4], data_offsets: [0, 16] } }, u16Bytes(words));
    const parsed = parseSafetensors(file);
    expect(parsed.info('b')).toMatchObject({ dtype: 'BF16', shape: [2, 4] });
    expect(Array.from(parsed.readF32('b'))).toEqual(expected);
  });

  it('decodes F64 (rounded to float32) and F32 stored at an odd, unaligned offset', () => {
    const data = new Uint8Array(2 + 8 + 4 * 2 + 16);
    const view = new DataView(data.buffer);
    view.setUint16(0, 0x3c00, true); // a 1-element F16 first, so everything after is misaligned
    view.setFloat64(2, 0.1, true);
    view.setFloat32(10, -2.5, true);
    view.setFloat32(14, 1e20, true);
    view.setFloat64(18, -1e300, true);
    view.setFloat64(26, 2 ** -30, true);
    const file = rawFile(
      {
        one: { dtype: 'F16', shape: [1], data_offsets: [0, 2] },
        d: { dtype: 'F64', shape: [1], data_offsets: [2, 10] },
        f: { dtype: 'F32', shape: [2], data_offsets: [10, 18] },
        big: { dtype: 'F64', shape: [2], data_offsets: [18, 34] },
      },
      data,
    );
    const parsed = parseSafetensors(file);
    expect(Array.from(parsed.readF32('one'))).toEqual([1]);
    expect(Array.from(parsed.readF32('d'))).toEqual([Math.fround(0.1)]);
    expect(Array.from(parsed.readF32('f'))).toEqual([-2.5, Math.fround(1e20)]);
    expect(Array.from(parsed.readF32('big'))).toEqual([-Infinity, 2 ** -30]);
  });

  it('keeps string metadata and ignores non-string metadata values', () => {
    const file = rawFile({ __metadata__: { format: 'pt', n: 3 }, x: { dtype: 'F32', shape: [], data_offsets: [0, 4] } }, new Uint8Array(4));
    const parsed = parseSafetensors(file);
    expect(parsed.metadata).toEqual({ format: 'pt' });
    expect(parsed.names()).toEqual(['x']);
  });

  it('decodes a subarray of a larger buffer (non-zero byteOffset)', () => {
    const inner = writeSafetensors({ x: { shape: [2], data: new Float32Array([3, 4]) } });
    const outer = new Uint8Array(inner.length + 13);
    outer.set(inner, 5);
    expect(Array.from(parseSafetensors(outer.subarray(5, 5 + inner.length)).readF32('x'))).toEqual([3, 4]);
  });
});

describe('malformed files', () => {
  const f32 = (offsets: [number, number], shape: number[] = [(offsets[1] - offsets[0]) / 4]) => ({ dtype: 'F32', shape, data_offsets: offsets });

  it('a file shorter than 8 bytes is truncated', () => {
    for (let n = 0; n < 8; n++) {
      const e = expectError(() => parseSafetensors(new Uint8Array(n), 'tiny.safetensors'), ModelFileError, { code: 'truncated', message: `${n} bytes` });
      expect(e.file).toBe('tiny.safetensors');
      expect(e.message.startsWith('tiny.safetensors: ')).toBe(true);
    }
  });

  it('a header length past the end of the file is truncated, and the message gives the length', () => {
    const file = rawFile({ x: f32([0, 4]) }, new Uint8Array(4), 1000n);
    expectError(() => parseSafetensors(file), ModelFileError, { code: 'truncated', message: ['1000', `${file.length} bytes`] });
  });

  it('an absurd header length (2^60) is truncated, not an allocation', () => {
    expectError(() => parseSafetensors(rawFile({}, new Uint8Array(0), 2n ** 60n)), ModelFileError, { code: 'truncated', message: 'header length' });
  });

  it('a header that is not JSON is bad-header', () => {
    expectError(() => parseSafetensors(rawFile('{"x": {"dtype": "F32",')), ModelFileError, { code: 'bad-header', message: 'not valid JSON' });
    expectError(() => parseSafetensors(rawFile('PK\u0003\u0004 a zip file')), ModelFileError, { code: 'bad-header', message: 'JSON' });
  });

  it('a header that is not UTF-8 is bad-header', () => {
    const file = rawFile('{"x": 1}');
    file[10] = 0xff;
    expectError(() => parseSafetensors(file), ModelFileError, { code: 'bad-header' });
  });

  it('a header that is JSON but not an object is bad-header', () => {
    expectError(() => parseSafetensors(rawFile('[1, 2]')), ModelFileError, { code: 'bad-header', message: 'not a JSON object' });
    expectError(() => parseSafetensors(rawFile('null')), ModelFileError, { code: 'bad-header', message: 'not a JSON object' });
  });

  it('an entry without dtype/shape/offsets is bad-header and names the tensor', () => {
    expectError(() => parseSafetensors(rawFile({ 'enc.q': { shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4))), ModelFileError, { code: 'bad-header', message: '"enc.q"' });
    expectError(() => parseSafetensors(rawFile({ 'enc.k': { dtype: 'F32', shape: [1], data_offsets: [0] } }, new Uint8Array(4))), ModelFileError, { code: 'bad-header', message: '"enc.k"' });
    expectError(() => parseSafetensors(rawFile({ 'enc.v': null })), ModelFileError, { code: 'bad-header', message: '"enc.v"' });
  });

  it('offsets that run backwards or are negative are bad-header', () => {
    expectError(() => parseSafetensors(rawFile({ w: f32([8, 4], [1]) }, new Uint8Array(8))), ModelFileError, { code: 'bad-header', message: ['"w"', '[8,4]'] });
    expectError(() => parseSafetensors(rawFile({ w: f32([-4, 0], [1]) }, new Uint8Array(8))), ModelFileError, { code: 'bad-header', message: '"w"' });
  });

  it('a negative or fractional dimension is bad-shape', () => {
    expectError(() => parseSafetensors(rawFile({ w: f32([0, 4], [-1]) }, new Uint8Array(4))), ModelFileError, { code: 'bad-shape', message: '"w"' });
    expectError(() => parseSafetensors(rawFile({ w: f32([0, 4], [0.5]) }, new Uint8Array(4))), ModelFileError, { code: 'bad-shape', message: '"w"' });
  });

  it('tensor offsets past the data are truncated and name the tensor', () => {
    const file = rawFile({ ok: f32([0, 8]), 'decoder.block.1.wo': f32([8, 24]) }, new Uint8Array(20));
    expectError(() => parseSafetensors(file), ModelFileError, { code: 'truncated', message: ['"decoder.block.1.wo"', '24', '20 bytes'] });
  });

  it('shape × dtype size that differs from the offsets span is bad-shape, with both sizes', () => {
    const file = rawFile({ w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, new Uint8Array(24));
    expectError(() => parseSafetensors(file), ModelFileError, { code: 'bad-shape', message: ['"w"', '[2, 3]', '24', '20'] });
    const half = rawFile({ h: { dtype: 'BF16', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(16));
    expectError(() => parseSafetensors(half), ModelFileError, { code: 'bad-shape', message: ['"h"', '8', '16'] });
  });

  for (const dtype of ['I8', 'F8_E4M3', 'I64', 'BOOL']) {
    it(`a ${dtype} tensor parses but reading it as float32 is unknown-dtype`, () => {
      const file = rawFile({ ok: f32([0, 4]), q: { dtype, shape: [3], data_offsets: [4, 7] } }, new Uint8Array(7));
      const parsed = parseSafetensors(file, 'quantised.safetensors');
      expect(parsed.info('q')).toMatchObject({ dtype, shape: [3] });
      expect(Array.from(parsed.readF32('ok'))).toEqual([0]);
      const e = expectError(() => parsed.readF32('q'), ModelFileError, { code: 'unknown-dtype', message: ['"q"', dtype] });
      expect(e.file).toBe('quantised.safetensors');
    });
  }

  it('reading a name that is not there is missing-tensor and names it', () => {
    const parsed = parseSafetensors(writeSafetensors({ present: { shape: [1], data: new Float32Array([1]) } }), 'm.safetensors');
    expect(parsed.info('absent.weight')).toBeUndefined();
    const e = expectError(() => parsed.readF32('absent.weight'), ModelFileError, { code: 'missing-tensor', message: '"absent.weight"' });
    expect(e.file).toBe('m.safetensors');
  });
});

describe('the real fixture', () => {
  const gated = fixture('t5-tiny-gated/model.safetensors');
  const headerLen = Number(new DataView(gated.buffer, gated.byteOffset).getBigUint64(0, true));

  it('parses, and its F32 values are the raw little-endian bytes at the header offsets', () => {
    const parsed = parseSafetensors(gated, 'model.safetensors');
    const header = JSON.parse(new TextDecoder().decode(gated.subarray(8, 8 + headerLen)));
    expect(parsed.names().length).toBe(Object.keys(header).length - 1);
    expect(parsed.metadata).toEqual(header.__metadata__);
    const { data_offsets: [begin], shape } = header['lm_head.weight'] as { data_offsets: number[]; shape: number[] };
    expect(shape).toEqual([512, 64]);
    const values = parsed.readF32('lm_head.weight');
    const view = new DataView(gated.buffer, gated.byteOffset + 8 + headerLen + begin!);
    for (const i of [0, 1, 777, 512 * 64 - 1]) expect(values[i]).toBe(view.getFloat32(4 * i, true));
  });

  it('the BF16 copy decodes to the F32 weights rounded to 8 significant bits', () => {
    const f32 = parseSafetensors(gated);
    const bf16 = parseSafetensors(fixture('t5-tiny-gated/model.bf16.safetensors'));
    expect(bf16.names()).toEqual(f32.names());
    for (const name of ['shared.weight', 'decoder.block.1.layer.2.DenseReluDense.wo.weight']) {
      expect(bf16.info(name)?.dtype).toBe('BF16');
      const exact = f32.readF32(name);
      const rounded = bf16.readF32(name);
      const bits = new Uint32Array(rounded.buffer, rounded.byteOffset, rounded.length);
      let worst = 0;
      let lowBitsSet = 0;
      for (let i = 0; i < exact.length; i++) {
        worst = Math.max(worst, Math.abs(rounded[i]! - exact[i]!) / Math.abs(exact[i]!));
        if (bits[i]! & 0xffff) lowBitsSet++;
      }
      // bf16 keeps 8 significant bits (ulp 2^-7 relative); rounding to nearest errs by at most half of it.
      expect(worst, name).toBeLessThanOrEqual(2 ** -8);
      expect(worst, name).toBeGreaterThan(0);
      expect(lowBitsSet, name).toBe(0);
    }
  });

  it('truncated at any of 20 lengths, always fails with a ModelFileError', () => {
    const cuts = [0, 1, 7, 8, 9, 100, headerLen, headerLen + 7, headerLen + 8, headerLen + 9];
    for (let k = 1; k <= 10; k++) cuts.push(Math.floor(headerLen + 8 + ((gated.length - headerLen - 8) * k) / 10) - 1);
    expect(new Set(cuts).size).toBe(20);
    for (const n of cuts) {
      expect(n).toBeLessThan(gated.length);
      const e = expectError(() => parseSafetensors(gated.slice(0, n), 'model.safetensors'), ModelFileError);
      expect(e.code, `cut at ${n}: ${e.message}`).toBe('truncated');
    }
  });
});
