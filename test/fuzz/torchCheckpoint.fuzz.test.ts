/**
 * Fuzzing parseTorchCheckpoint (and readF32 on every name it lists): the real pytorch_model.bin
 * mutated byte by byte and in its zip directory, its data.pkl mutated and re-zipped, generated
 * state dicts with hostile storages/shapes/strides/offsets, and random pickle opcode streams.
 * Every input must end in a ModelFileError with a human message or a checkpoint whose tensors
 * all decode to arrays of their shape's size.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../../src/core/io/modelFileError';
import { parseTorchCheckpoint, type TorchCheckpoint } from '../../src/core/io/torchCheckpoint';
import { enc, expectTypedOutcome, fcParams, FuzzFailure, invalidUtf8Arb, mutatedArb, printSummary } from './helpers';
import {
  bytesOf,
  checkpointZip,
  directoryRegion,
  glob,
  int,
  le32,
  le64,
  OP,
  operate,
  stateDict,
  str,
  withZip64Count,
  zipSurgeryArb,
  type Chunk,
  type TensorSpec,
} from './zipTools';

const READER = 'pytorch_model.bin';
const TENSORS = 'pytorch_model.bin readF32';
const ALLOWED = [ModelFileError];

const real = new Uint8Array(readFileSync(fileURLToPath(new URL('../fixtures/t5-tiny-relu/pytorch_model.bin', import.meta.url))));
const realFiles = unzipSync(real);
const realPickle = realFiles['pytorch_model/data.pkl']!;

function checkCheckpoint(file: TorchCheckpoint): void {
  expect(file.names().length).toBe(file.entries.size);
  for (const name of file.names()) {
    const info = file.info(name)!;
    const numel = info.shape.reduce((a, d) => a * d, 1);
    expectTypedOutcome(() => file.readF32(name), ALLOWED, {
      reader: TENSORS,
      validate: (values) => {
        if (!(values instanceof Float32Array) || values.length !== numel) throw new FuzzFailure(`readF32("${name}") gave ${values.length} values for shape [${info.shape}]`);
      },
    });
  }
}

function parseAll(bytes: Uint8Array): void {
  expectTypedOutcome(() => parseTorchCheckpoint(bytes, 'fuzz.bin'), ALLOWED, { reader: READER, validate: checkCheckpoint });
}

/** The real archive with its data.pkl replaced (stored or deflated). */
function withPickle(pkl: Uint8Array, level: 0 | 6 = 0): Uint8Array {
  const storages: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(realFiles)) if (name.startsWith('pytorch_model/data/')) storages[name.slice('pytorch_model/data/'.length)] = data;
  return checkpointZip(pkl, storages, { byteorder: 'little', level, prefix: 'pytorch_model/' });
}

// ---- generated state dicts ----

const STORAGE_CLASSES = ['FloatStorage', 'HalfStorage', 'BFloat16Storage', 'DoubleStorage', 'LongStorage', 'BoolStorage', 'ComplexFloatStorage', 'QInt8Storage', 'UntypedStorage'];
const indexArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 6 }), weight: 10 },
  { arbitrary: fc.constantFrom<number | bigint>(-1, -(2 ** 31), 2 ** 31 - 1, 2 ** 32, 1e9, 2 ** 53 - 1, 2n ** 53n, 2n ** 63n, -(2n ** 63n), 2n ** 100n), weight: 1 },
);
const specArb: fc.Arbitrary<TensorSpec> = fc.integer({ min: 0, max: 4 }).chain((rank) =>
  fc.record({
    name: fc.oneof(fc.constantFrom('w', 'b', 'shared.weight', ''), fc.string({ maxLength: 6 })),
    storageClass: fc.oneof({ arbitrary: fc.constantFrom(...STORAGE_CLASSES.slice(0, 4)), weight: 4 }, { arbitrary: fc.constantFrom(...STORAGE_CLASSES), weight: 1 }),
    key: fc.constantFrom('0', '1', '2', '9', ''),
    numel: indexArb,
    offset: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: indexArb, weight: 1 }),
    shape: fc.array(indexArb, { minLength: rank, maxLength: rank }),
    stride: fc.oneof(
      { arbitrary: fc.constant(null), weight: 3 }, // row-major, filled in below
      { arbitrary: fc.array(indexArb, { minLength: rank, maxLength: rank }), weight: 2 },
      { arbitrary: fc.array(indexArb, { maxLength: 5 }), weight: 1 },
    ),
  }).map((s) => {
    let stride = s.stride as Array<number | bigint> | null;
    if (stride === null) {
      stride = [];
      let step = 1;
      for (let i = s.shape.length - 1; i >= 0; i--) {
        stride.unshift(step);
        step *= Number(s.shape[i]);
      }
    }
    return { ...s, stride };
  }),
);
const generatedArb = fc.record({
  specs: fc.array(specArb, { minLength: 0, maxLength: 4 }),
  storages: fc.dictionary(fc.constantFrom('0', '1', '2', '3'), fc.uint8Array({ maxLength: 256 }), { maxKeys: 4 }),
  byteorder: fc.constantFrom<string | undefined>('little', 'little', 'little\n', 'big', undefined, ''),
  level: fc.constantFrom<0 | 6>(0, 6),
});

// ---- random opcode streams ----

const u8 = fc.integer({ min: 0, max: 255 });
const instructionArb: fc.Arbitrary<Chunk> = fc.oneof(
  fc.constantFrom<Chunk>(
    OP.MARK, OP.NONE, OP.NEWTRUE, OP.NEWFALSE, OP.EMPTY_DICT, OP.EMPTY_LIST, OP.EMPTY_TUPLE, OP.TUPLE, OP.TUPLE1, OP.TUPLE2, OP.TUPLE3,
    OP.APPEND, OP.APPENDS, OP.SETITEM, OP.SETITEMS, OP.STACK_GLOBAL, OP.BINPERSID, OP.REDUCE, OP.NEWOBJ, OP.BUILD, OP.MEMOIZE, OP.STOP,
    glob('torch._utils', '_rebuild_tensor_v2'), glob('torch._utils', '_rebuild_parameter'), glob('collections', 'OrderedDict'), glob('torch', 'FloatStorage'),
    glob('torch', 'HalfStorage'), glob('os', 'system'), glob('builtins', 'eval'), str('storage'), str('0'), str('cpu'), str('collections'), str('OrderedDict'),
    [OP.GLOBAL, 0x61], [OP.PROTO, 2], [OP.PROTO, 9], [OP.BINUNICODE, le32(0xffffffff)], [OP.BINUNICODE8, le64(2n ** 64n - 1n)], [OP.FRAME, le64(2n ** 63n)],
    [OP.LONG1, 255], 0x00, 0x63, 0xff, 0x8b,
  ),
  indexArb.map((n) => int(n)),
  fc.tuple(fc.constantFrom(OP.BINPUT, OP.BINGET), u8).map(([op, i]) => [op, i]),
  fc.tuple(fc.constantFrom(OP.LONG_BINPUT, OP.LONG_BINGET), fc.nat()).map(([op, i]) => [op, le32(i)]),
  fc.double().map((d) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, d, false);
    return [OP.BINFLOAT, b];
  }),
  fc.string({ maxLength: 8 }).map((s) => str(s)),
  fc.tuple(fc.string({ maxLength: 4 }), invalidUtf8Arb).map(([s, bad]) => [OP.SHORT_BINUNICODE, enc.encode(s).length + bad.length, enc.encode(s), bad]),
  fc.tuple(fc.nat({ max: 300 }), fc.uint8Array({ maxLength: 8 })).map(([n, b]) => [OP.BINUNICODE, le32(n), b]),
  fc.tuple(u8, fc.uint8Array({ maxLength: 12 })).map(([n, b]) => [OP.LONG1, n, b]),
);
const opcodeStreamArb = fc.tuple(fc.boolean(), fc.array(instructionArb, { maxLength: 40 }), fc.boolean()).map(([proto, body, stop]) =>
  bytesOf(proto ? [OP.PROTO, 2] : [], body, stop ? OP.STOP : []),
);

describe('parseTorchCheckpoint fuzz', () => {
  afterAll(() => printSummary(READER, TENSORS));

  it('the real pytorch_model.bin with mutated bytes, mostly in data.pkl and the zip directory', () => {
    const pickleEnd = 30 + 'pytorch_model/data.pkl'.length + realPickle.length + 64;
    fc.assert(fc.property(mutatedArb(real, [[0, pickleEnd], directoryRegion(real)]), parseAll), fcParams(600));
  });

  it('the real archive with its zip directory rewritten (sizes, methods, counts, offsets, zip64)', () => {
    fc.assert(
      fc.property(fc.array(zipSurgeryArb, { minLength: 1, maxLength: 3 }), (surgeries) => parseAll(surgeries.reduce(operate, real))),
      fcParams(400),
    );
  });

  it('the real data.pkl mutated and re-zipped (stored or deflated)', () => {
    fc.assert(
      fc.property(mutatedArb(realPickle), fc.constantFrom<0 | 6>(0, 0, 6), (pkl, level) => parseAll(withPickle(pkl, level))),
      fcParams(400),
    );
  });

  it('generated state dicts: unknown storages, shapes and strides that do not fit, huge and negative offsets', () => {
    fc.assert(
      fc.property(generatedArb, ({ specs, storages, byteorder, level }) => {
        parseAll(checkpointZip(stateDict(specs), storages, { byteorder, level }));
      }),
      fcParams(4000),
    );
  });

  it('random pickle opcode streams', () => {
    fc.assert(fc.property(opcodeStreamArb, (pkl) => parseAll(checkpointZip(pkl, { '0': new Uint8Array(64) }, { byteorder: 'little' }))),
      fcParams(5000),
    );
  });

  it('random bytes and legacy-format headers', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => bytesOf([0x80, 2], b)), fc.uint8Array({ maxLength: 64 }).map((b) => bytesOf(le32(0x04034b50), b))), parseAll),
      fcParams(2000),
    );
  });

  it('a zip64 directory claiming billions of entries ends quickly in a ModelFileError', () => {
    for (const count of [0xffffffff, 100_000_000]) {
      const outcome = expectTypedOutcome(() => parseTorchCheckpoint(withZip64Count(real, count)), ALLOWED, { reader: READER, maxMs: 500 });
      expect(outcome.kind).toBe('error');
    }
  });

  it('a deflated entry declaring 4 GB is refused before allocating', () => {
    const zip = checkpointZip(stateDict([]), {}, { byteorder: 'little', level: 6 });
    for (const [compressed, original] of [[0xffffffff, 0xffffffff], [0x7fffffff, 0xfffffffe], [4096, 0xffffffff]] as const) {
      for (let record = 0; record < 3; record++) {
        const bytes = operate(zip, { kind: 'sizes', record, compressed, original });
        const before = process.memoryUsage().arrayBuffers;
        expectTypedOutcome(() => parseTorchCheckpoint(bytes), ALLOWED, { reader: READER, maxMs: 500 });
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
      }
    }
  });

  it('a tensor of shape [1e9, 1e9], with a huge stride or a stride-0 expansion to 2^30 elements is refused without allocating', () => {
    const storage = { '0': new Uint8Array(16) };
    const cases: TensorSpec[] = [
      { name: 'w', storageClass: 'FloatStorage', key: '0', numel: 4, offset: 0, shape: [1e9, 1e9], stride: [1e9, 1] },
      { name: 'w', storageClass: 'FloatStorage', key: '0', numel: 4, offset: 0, shape: [1e9, 1e9], stride: [0, 0] },
      { name: 'w', storageClass: 'FloatStorage', key: '0', numel: 4, offset: 0, shape: [2, 2], stride: [2 ** 52, 1] },
      { name: 'w', storageClass: 'FloatStorage', key: '0', numel: 4, offset: 2 ** 50, shape: [2], stride: [1] },
      { name: 'w', storageClass: 'FloatStorage', key: '0', numel: 4, offset: 0, shape: [2 ** 20, 2 ** 20], stride: [0, 0] },
      // 2^30 elements from one stored float: under the 2^30 element cap, but a 4 GB copy.
      { name: 'w', storageClass: 'FloatStorage', key: '0', numel: 4, offset: 0, shape: [32768, 32768], stride: [0, 0] },
      { name: 'w', storageClass: 'FloatStorage', key: '0', numel: 4, offset: 0, shape: [16384, 16384], stride: [0, 1] },
    ];
    for (const spec of cases) {
      const bytes = checkpointZip(stateDict([spec]), storage, { byteorder: 'little' });
      const before = process.memoryUsage().arrayBuffers;
      const outcome = expectTypedOutcome(() => {
        const f = parseTorchCheckpoint(bytes);
        return f.readF32('w');
      }, ALLOWED, { reader: READER, maxMs: 500 });
      expect(outcome.kind, JSON.stringify(spec)).toBe('error');
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    }
  });

  it('1 MB tensor names, storage keys and byte orders give short messages', () => {
    const big = 'x'.repeat(1024 * 1024);
    const spec: TensorSpec = { name: big, storageClass: 'FloatStorage', key: '0', numel: 4, offset: 0, shape: [4], stride: [1] };
    const cases = [
      checkpointZip(stateDict([spec]), {}, { byteorder: 'little' }), // storage missing
      checkpointZip(stateDict([{ ...spec, shape: [8] }]), { '0': new Uint8Array(16) }, { byteorder: 'little' }), // storage too short
      checkpointZip(stateDict([{ ...spec, key: big }]), { '0': new Uint8Array(16) }, { byteorder: 'little' }),
      checkpointZip(stateDict([{ ...spec, storageClass: 'LongStorage' }]), { '0': new Uint8Array(32) }, { byteorder: 'little' }), // readF32: unknown dtype
      checkpointZip(stateDict([spec]), { '0': new Uint8Array(16) }, { byteorder: big }),
      checkpointZip(stateDict([{ ...spec, shape: [2 ** 20, 2 ** 20], stride: [0, 0] }]), { '0': new Uint8Array(16) }, { byteorder: 'little' }),
    ];
    for (const bytes of cases) parseAll(bytes);
  });

  it('a pickle nested 100k levels deep, and a million-item list, end in a result or a ModelFileError', () => {
    const deepList = bytesOf([OP.PROTO, 2], Array(100_000).fill(OP.EMPTY_LIST), Array(99_999).fill(OP.APPEND), OP.STOP);
    const deepTuples = bytesOf([OP.PROTO, 2], OP.NONE, Array(100_000).fill(OP.TUPLE1), OP.STOP);
    const deepMarks = bytesOf([OP.PROTO, 2], Array(100_000).fill(OP.MARK), OP.STOP);
    const longList = bytesOf([OP.PROTO, 2], OP.EMPTY_LIST, OP.MARK, Array(1_000_000).fill(OP.NONE), OP.APPENDS, OP.STOP);
    const selfRef = bytesOf([OP.PROTO, 2], OP.EMPTY_LIST, [OP.BINPUT, 0], [OP.BINGET, 0], OP.APPEND, OP.STOP);
    const dictKey = bytesOf([OP.PROTO, 2], OP.EMPTY_DICT, OP.EMPTY_LIST, str('x'), OP.SETITEM, OP.STOP);
    for (const pkl of [deepList, deepTuples, deepMarks, longList, selfRef, dictKey]) {
      const outcome = expectTypedOutcome(() => parseTorchCheckpoint(checkpointZip(pkl, {}, { byteorder: 'little' })), ALLOWED, { reader: READER });
      expect(outcome.kind).toBe('error');
    }
  });
});
