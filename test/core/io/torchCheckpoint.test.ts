import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../../../src/core/io/modelFileError';
import { parseSafetensors } from '../../../src/core/io/safetensors';
import { parseTorchCheckpoint } from '../../../src/core/io/torchCheckpoint';
import { expectError } from '../../helpers/expectError';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/t5-tiny-relu/${name}`, import.meta.url))));

// --- A tiny pickle writer, so tests can say exactly which opcodes the reader sees. ---

const enc = new TextEncoder();
type Chunk = number | Uint8Array | Chunk[];
function bytesOf(...chunks: Chunk[]): Uint8Array {
  const out: number[] = [];
  const walk = (c: Chunk): void => {
    if (typeof c === 'number') out.push(c);
    else if (c instanceof Uint8Array) out.push(...c);
    else c.forEach(walk);
  };
  chunks.forEach(walk);
  return new Uint8Array(out);
}
const le32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const ch = (s: string): number => s.charCodeAt(0);
const MARK = ch('(');
const TUPLE = ch('t');
const STOP = ch('.');
const REDUCE = ch('R');
const SETITEMS = ch('u');
const EMPTY_DICT = ch('}');
const EMPTY_TUPLE = ch(')');
const BINPERSID = ch('Q');
const NEWFALSE = 0x89;
const PROTO2 = [0x80, 2];
/** BINUNICODE */
const str = (s: string): Chunk => {
  const b = enc.encode(s);
  return [ch('X'), le32(b.length), b];
};
/** BININT1 / BININT2 / BININT */
const int = (n: number): Chunk => (n < 256 ? [ch('K'), n] : n < 65536 ? [ch('M'), n & 0xff, n >> 8] : [ch('J'), le32(n)]);
/** GLOBAL "module\nname\n" */
const glob = (module: string, name: string): Chunk => [ch('c'), enc.encode(`${module}\n${name}\n`)];
const tuple = (items: number[]): Chunk => [MARK, items.map(int), TUPLE];

interface TensorSpec {
  name: string;
  storageClass: string;
  key: string;
  numel: number;
  offset: number;
  shape: number[];
  stride: number[];
}
/** One state-dict item exactly as torch.save (protocol 2) writes it. */
const tensorItem = (t: TensorSpec): Chunk => [
  str(t.name),
  glob('torch._utils', '_rebuild_tensor_v2'),
  MARK,
  [MARK, str('storage'), glob('torch', t.storageClass), str(t.key), str('cpu'), int(t.numel), TUPLE, BINPERSID],
  int(t.offset),
  tuple(t.shape),
  tuple(t.stride),
  NEWFALSE,
  [glob('collections', 'OrderedDict'), EMPTY_TUPLE, REDUCE],
  TUPLE,
  REDUCE,
];
const stateDict = (items: TensorSpec[]): Uint8Array => bytesOf(PROTO2, EMPTY_DICT, MARK, items.map(tensorItem), SETITEMS, STOP);

const checkpoint = (pkl: Uint8Array, storages: Record<string, Uint8Array> = {}, byteorder = 'little'): Uint8Array => {
  const files: Record<string, Uint8Array> = { 'archive/data.pkl': pkl, 'archive/byteorder': enc.encode(byteorder), 'archive/version': enc.encode('3\n') };
  for (const [k, v] of Object.entries(storages)) files[`archive/data/${k}`] = v;
  return zipSync(files, { level: 0 });
};

const f32Bytes = (values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);
const u16Bytes = (values: number[]): Uint8Array => new Uint8Array(new Uint16Array(values).buffer);

/** Deterministic bytes for fuzzing. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
}

// Storage "0": ten floats 10..19, shared by several views.
const STORAGE0 = f32Bytes([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
const SMALL_SPECS: TensorSpec[] = [
  // A 2x3 view at offset 1 with transposed strides: t[i][j] = s[1 + i + 2j].
  { name: 'transposed', storageClass: 'FloatStorage', key: '0', numel: 10, offset: 1, shape: [2, 3], stride: [1, 2] },
  // A contiguous slice of the same storage.
  { name: 'slice', storageClass: 'FloatStorage', key: '0', numel: 10, offset: 2, shape: [3], stride: [1] },
  { name: 'half', storageClass: 'HalfStorage', key: '1', numel: 3, offset: 0, shape: [3], stride: [1] },
  { name: 'ids', storageClass: 'LongStorage', key: '2', numel: 2, offset: 0, shape: [1, 2], stride: [2, 1] },
];
const SMALL_STORAGES = {
  '0': STORAGE0,
  '1': u16Bytes([0x3c00, 0xc000, 0x3800]), // 1, -2, 0.5 in IEEE half
  '2': new Uint8Array(16),
};
const smallCheckpoint = (): Uint8Array => checkpoint(stateDict(SMALL_SPECS), SMALL_STORAGES);

describe('parseTorchCheckpoint on the t5-tiny fixture', () => {
  const bin = parseTorchCheckpoint(fixture('pytorch_model.bin'));
  const st = parseSafetensors(fixture('model.safetensors'), 'model.safetensors');
  const aliases = ['encoder.embed_tokens.weight', 'decoder.embed_tokens.weight'];

  it('has the same tensors as model.safetensors, plus the tied-embedding aliases', () => {
    expect(new Set(bin.names())).toEqual(new Set([...st.names(), ...aliases]));
  });

  it('decodes every tensor to the same float32 bits as model.safetensors', () => {
    for (const name of st.names()) {
      const a = bin.readF32(name);
      const b = st.readF32(name);
      expect(bin.info(name)).toMatchObject({ name, dtype: 'F32', shape: st.info(name)!.shape });
      expect(a.length).toBe(b.length);
      expect(Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)), name).toBe(0);
    }
  });

  it('reads the embedding aliases as views of shared.weight', () => {
    const shared = bin.readF32('shared.weight');
    for (const alias of aliases) {
      expect(bin.info(alias)!.shape).toEqual(bin.info('shared.weight')!.shape);
      expect(bin.readF32(alias)).toEqual(shared);
    }
  });

  it('reports a missing tensor with a ModelFileError', () => {
    expect(expectError(() => bin.readF32('nope'), ModelFileError).code).toBe('missing-tensor');
  });
});

describe('parseTorchCheckpoint on hand-built checkpoints', () => {
  it('honours storage offsets, strides, shared storages and dtypes', () => {
    const ckpt = parseTorchCheckpoint(smallCheckpoint(), 'small.bin');
    expect(ckpt.names()).toEqual(['transposed', 'slice', 'half', 'ids']);
    expect(ckpt.info('transposed')).toMatchObject({ dtype: 'F32', shape: [2, 3] });
    // Row 0: s[1], s[3], s[5]; row 1: s[2], s[4], s[6].
    expect([...ckpt.readF32('transposed')]).toEqual([11, 13, 15, 12, 14, 16]);
    expect([...ckpt.readF32('slice')]).toEqual([12, 13, 14]);
    expect(ckpt.info('half')).toMatchObject({ dtype: 'F16', shape: [3] });
    expect([...ckpt.readF32('half')]).toEqual([1, -2, 0.5]);
    expect(ckpt.info('ids')).toMatchObject({ dtype: 'I64', shape: [1, 2] });
    expect(expectError(() => ckpt.readF32('ids'), ModelFileError).code).toBe('unknown-dtype');
  });

  it('reads protocol 4 pickles (FRAME, MEMOIZE, STACK_GLOBAL) and _rebuild_parameter', () => {
    const sbu = (s: string): Chunk => [0x8c, s.length, enc.encode(s)]; // SHORT_BINUNICODE
    const sglobal = (m: string, n: string): Chunk => [sbu(m), 0x94, sbu(n), 0x94, 0x93, 0x94]; // STACK_GLOBAL
    const body = bytesOf(
      [sglobal('collections', 'OrderedDict'), EMPTY_TUPLE, REDUCE, 0x94, MARK],
      [sbu('p'), sglobal('torch._utils', '_rebuild_parameter'), MARK],
      [sglobal('torch._utils', '_rebuild_tensor_v2'), MARK],
      [MARK, sbu('storage'), sglobal('torch', 'FloatStorage'), sbu('0'), sbu('cpu'), int(10), TUPLE, BINPERSID],
      [int(4), int(2), 0x85, int(1), 0x85, NEWFALSE, EMPTY_DICT, TUPLE, REDUCE, 0x94],
      [0x88, EMPTY_DICT, TUPLE, REDUCE, 0x94], // requires_grad=True, no hooks
      [SETITEMS, EMPTY_DICT, str('_metadata'), EMPTY_DICT, ch('s'), ch('b')], // OrderedDict attributes via BUILD
      STOP,
    );
    const framed = bytesOf([0x80, 4, 0x95], le32(body.length), [0, 0, 0, 0], body);
    const ckpt = parseTorchCheckpoint(checkpoint(framed, { '0': STORAGE0 }));
    expect(ckpt.names()).toEqual(['p']);
    expect([...ckpt.readF32('p')]).toEqual([14, 15]);
  });

  it('rejects a pickle that refers to a disallowed global, naming it', () => {
    const evil = bytesOf(PROTO2, glob('os', 'system'), str('echo pwned'), 0x85, REDUCE, STOP);
    const err = expectError(() => parseTorchCheckpoint(checkpoint(evil)), ModelFileError);
    expect(err.code).toBe('unsupported-format');
    expect(err.message).toContain('os.system');

    const viaStack = bytesOf(PROTO2, str('builtins'), str('eval'), 0x93, str('1'), 0x85, REDUCE, STOP);
    const err2 = expectError(() => parseTorchCheckpoint(checkpoint(viaStack)), ModelFileError);
    expect(err2.code).toBe('unsupported-format');
    expect(err2.message).toContain('builtins.eval');
  });

  it('rejects unknown opcodes and calls on non-callables', () => {
    const textInt = bytesOf(PROTO2, ch('I'), enc.encode('1\n'), STOP); // protocol-0 INT
    expect(expectError(() => parseTorchCheckpoint(checkpoint(textInt)), ModelFileError).code).toBe('unsupported-format');
    const callStorageClass = bytesOf(PROTO2, glob('torch', 'FloatStorage'), EMPTY_TUPLE, REDUCE, STOP);
    expect(expectError(() => parseTorchCheckpoint(checkpoint(callStorageClass)), ModelFileError).code).toBe('unsupported-format');
  });

  it('rejects a tensor that runs past its storage, naming it', () => {
    const spec: TensorSpec = { name: 'too.long', storageClass: 'FloatStorage', key: '0', numel: 10, offset: 8, shape: [3], stride: [1] };
    const err = expectError(() => parseTorchCheckpoint(checkpoint(stateDict([spec]), { '0': STORAGE0 })), ModelFileError);
    expect(err.code).toBe('truncated');
    expect(err.message).toContain('too.long');
    const missing = expectError(() => parseTorchCheckpoint(checkpoint(stateDict([spec]))), ModelFileError);
    expect(missing.code).toBe('truncated');
  });

  it('rejects big-endian checkpoints and the legacy non-zip format', () => {
    const big = expectError(() => parseTorchCheckpoint(checkpoint(stateDict(SMALL_SPECS), SMALL_STORAGES, 'big')), ModelFileError);
    expect(big.code).toBe('unsupported-format');
    const legacy = expectError(() => parseTorchCheckpoint(bytesOf([0x80, 2, 0x8a, 10], new Uint8Array(40))), ModelFileError);
    expect(legacy.code).toBe('unsupported-format');
  });

  it('rejects a zip without data.pkl', () => {
    const err = expectError(() => parseTorchCheckpoint(zipSync({ 'weights/other.txt': enc.encode('hi') })), ModelFileError);
    expect(err.code).toBe('unsupported-format');
  });
});

describe('parseTorchCheckpoint on damaged input', () => {
  it('throws ModelFileError for the fixture cut at many points', () => {
    const full = fixture('pytorch_model.bin');
    const cuts = [0, 1, 2, 4, 21, 30, 100, 1000, 6000, full.length >> 1, full.length - 1000, full.length - 22, full.length - 1];
    for (const cut of cuts) expectError(() => parseTorchCheckpoint(full.subarray(0, cut)), ModelFileError);
  });

  it('throws ModelFileError("truncated") for data.pkl cut at every byte', () => {
    const pkl = stateDict(SMALL_SPECS);
    for (let cut = 0; cut < pkl.length; cut++) {
      const err = expectError(() => parseTorchCheckpoint(checkpoint(pkl.subarray(0, cut), SMALL_STORAGES)), ModelFileError);
      expect(err.code, `cut at ${cut}`).toBe('truncated');
    }
  });

  it('throws ModelFileError for random bytes, zip-looking or not', () => {
    const rand = prng(1234);
    for (let i = 0; i < 50; i++) {
      const junk = Uint8Array.from({ length: 1 + (rand() % 40) }, () => rand());
      if (i % 2) junk.set([0x50, 0x4b, 0x03, 0x04].slice(0, junk.length));
      expectError(() => parseTorchCheckpoint(junk), ModelFileError);
    }
  });

  it('never throws anything but ModelFileError for corrupted pickles', () => {
    const rand = prng(99);
    const pkl = stateDict(SMALL_SPECS);
    for (let i = 0; i < 500; i++) {
      const bad = pkl.slice();
      for (let k = 0; k < 1 + (i % 4); k++) bad[((rand() << 8) | rand()) % bad.length] = rand();
      try {
        const ckpt = parseTorchCheckpoint(checkpoint(bad, SMALL_STORAGES));
        for (const name of ckpt.names()) ckpt.readF32(name);
      } catch (e) {
        expect(e, `mutation ${i}`).toBeInstanceOf(ModelFileError);
      }
    }
  });
});
