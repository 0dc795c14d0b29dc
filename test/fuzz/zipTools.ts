/**
 * Hand-made zip and pickle bytes for the fuzz suite: a tiny pickle writer (so generated state
 * dicts say exactly which opcodes the reader sees), and surgery on a zip's directory records
 * (sizes, compression method, entry counts, a zip64 end record) that fflate's writer never makes.
 */
import { zipSync } from 'fflate';
import fc from 'fast-check';
import { concat, enc } from './helpers';

export type Chunk = number | Uint8Array | Chunk[];

export function bytesOf(...chunks: Chunk[]): Uint8Array {
  const out: number[] = [];
  const walk = (c: Chunk): void => {
    if (typeof c === 'number') out.push(c & 0xff);
    else if (c instanceof Uint8Array) for (const b of c) out.push(b);
    else c.forEach(walk);
  };
  chunks.forEach(walk);
  return new Uint8Array(out);
}

export const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
export const le64 = (n: bigint): number[] => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const ch = (s: string): number => s.charCodeAt(0);

export const OP = {
  MARK: ch('('),
  STOP: ch('.'),
  BINFLOAT: ch('G'),
  BININT: ch('J'),
  BININT1: ch('K'),
  BININT2: ch('M'),
  NONE: ch('N'),
  BINPERSID: ch('Q'),
  REDUCE: ch('R'),
  BINUNICODE: ch('X'),
  EMPTY_LIST: ch(']'),
  APPEND: ch('a'),
  BUILD: ch('b'),
  GLOBAL: ch('c'),
  APPENDS: ch('e'),
  BINGET: ch('h'),
  LONG_BINGET: ch('j'),
  BINPUT: ch('q'),
  LONG_BINPUT: ch('r'),
  SETITEM: ch('s'),
  TUPLE: ch('t'),
  SETITEMS: ch('u'),
  EMPTY_DICT: ch('}'),
  EMPTY_TUPLE: ch(')'),
  PROTO: 0x80,
  NEWOBJ: 0x81,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  LONG1: 0x8a,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE8: 0x8d,
  STACK_GLOBAL: 0x93,
  MEMOIZE: 0x94,
  FRAME: 0x95,
} as const;

/** BINUNICODE */
export const str = (s: string): Chunk => {
  const b = enc.encode(s);
  return [OP.BINUNICODE, le32(b.length), b];
};

/** The smallest int opcode for n (LONG1 for anything beyond int32, negative included). */
export const int = (n: number | bigint): Chunk => {
  const v = BigInt(n);
  if (v >= 0n && v < 256n) return [OP.BININT1, Number(v)];
  if (v >= 0n && v < 65536n) return [OP.BININT2, Number(v) & 0xff, Number(v) >> 8];
  if (v >= -(2n ** 31n) && v < 2n ** 31n) return [OP.BININT, le32(Number(v))];
  const bytes: number[] = [];
  let x = v;
  do {
    bytes.push(Number(x & 0xffn));
    x >>= 8n;
  } while (!(x === 0n && (bytes[bytes.length - 1]! & 0x80) === 0) && !(x === -1n && (bytes[bytes.length - 1]! & 0x80) !== 0));
  return [OP.LONG1, bytes.length, bytes];
};

export const glob = (module: string, name: string): Chunk => [OP.GLOBAL, enc.encode(`${module}\n${name}\n`)];
export const tupleOf = (items: Array<number | bigint>): Chunk => [OP.MARK, items.map(int), OP.TUPLE];

export interface TensorSpec {
  name: string;
  storageClass: string;
  key: string;
  numel: number | bigint;
  offset: number | bigint;
  shape: Array<number | bigint>;
  stride: Array<number | bigint>;
}

/** One state-dict item exactly as torch.save (protocol 2) writes it. */
export const tensorItem = (t: TensorSpec): Chunk => [
  str(t.name),
  glob('torch._utils', '_rebuild_tensor_v2'),
  OP.MARK,
  [OP.MARK, str('storage'), glob('torch', t.storageClass), str(t.key), str('cpu'), int(t.numel), OP.TUPLE, OP.BINPERSID],
  int(t.offset),
  tupleOf(t.shape),
  tupleOf(t.stride),
  OP.NEWFALSE,
  [glob('collections', 'OrderedDict'), OP.EMPTY_TUPLE, OP.REDUCE],
  OP.TUPLE,
  OP.REDUCE,
];

export const stateDict = (items: TensorSpec[]): Uint8Array => bytesOf([OP.PROTO, 2], OP.EMPTY_DICT, OP.MARK, items.map(tensorItem), OP.SETITEMS, OP.STOP);

/** A torch.save archive around a pickle and storages. */
export function checkpointZip(pkl: Uint8Array, storages: Record<string, Uint8Array> = {}, options: { byteorder?: string; level?: 0 | 6; prefix?: string } = {}): Uint8Array {
  const prefix = options.prefix ?? 'archive/';
  const files: Record<string, Uint8Array> = { [`${prefix}data.pkl`]: pkl, [`${prefix}version`]: enc.encode('3\n') };
  if (options.byteorder !== undefined) files[`${prefix}byteorder`] = enc.encode(options.byteorder);
  for (const [k, v] of Object.entries(storages)) files[`${prefix}data/${k}`] = v;
  return zipSync(files, { level: options.level ?? 0 });
}

// ---- zip directory surgery ----

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 2 ** 24;
const put16 = (b: Uint8Array, at: number, v: number) => {
  if (at < 0 || at + 2 > b.length) return;
  b[at] = v & 0xff;
  b[at + 1] = (v >> 8) & 0xff;
};
const put32 = (b: Uint8Array, at: number, v: number) => {
  if (at >= 0 && at + 4 <= b.length) b.set(le32(v), at);
};

/** Offset of the end-of-central-directory record. */
export function eocdOffset(zip: Uint8Array): number {
  for (let e = zip.length - 22; e >= 0; e--) if (u32(zip, e) === 0x06054b50) return e;
  throw new Error('not a zip');
}

/** Offsets of the central directory records. */
export function centralRecords(zip: Uint8Array): number[] {
  const e = eocdOffset(zip);
  const count = u16(zip, e + 10);
  let at = u32(zip, e + 16);
  const out: number[] = [];
  for (let i = 0; i < count && at + 46 <= zip.length; i++) {
    if (u32(zip, at) !== 0x02014b50) break;
    out.push(at);
    at += 46 + u16(zip, at + 28) + u16(zip, at + 30) + u16(zip, at + 32);
  }
  return out;
}

/** Where the directory lives: [central directory start, end of file). */
export function directoryRegion(zip: Uint8Array): [number, number] {
  return [u32(zip, eocdOffset(zip) + 16), zip.length];
}

export type ZipSurgery =
  | { kind: 'entry-count'; count: number }
  | { kind: 'directory-offset'; offset: number }
  | { kind: 'sizes'; record: number; compressed: number; original: number }
  | { kind: 'method'; record: number; method: number }
  | { kind: 'local-offset'; record: number; offset: number }
  | { kind: 'name-length'; record: number; length: number }
  | { kind: 'zip64-count'; count: number };

const u32Arb = fc.oneof(fc.constantFrom(0, 1, 0xffff, 0x7fffffff, 0xfffffffe, 0xffffffff, 2 ** 31), fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 1 << 20 }));

export const zipSurgeryArb: fc.Arbitrary<ZipSurgery> = fc.oneof(
  fc.record({ kind: fc.constant('entry-count' as const), count: fc.oneof(fc.constantFrom(0, 1, 0xffff), fc.nat({ max: 0xffff })) }),
  fc.record({ kind: fc.constant('directory-offset' as const), offset: u32Arb }),
  fc.record({ kind: fc.constant('sizes' as const), record: fc.nat(), compressed: u32Arb, original: u32Arb }),
  fc.record({ kind: fc.constant('method' as const), record: fc.nat(), method: fc.constantFrom(0, 1, 8, 9, 12, 14, 93, 99, 0xffff) }),
  fc.record({ kind: fc.constant('local-offset' as const), record: fc.nat(), offset: u32Arb }),
  fc.record({ kind: fc.constant('name-length' as const), record: fc.nat(), length: fc.oneof(fc.constantFrom(0, 0xffff), fc.nat({ max: 300 })) }),
  fc.record({ kind: fc.constant('zip64-count' as const), count: fc.constantFrom(0xffffffff, 0x7fffffff, 10_000_000, 100_000) }),
);

/** Apply directory surgery to a copy of `zip`. */
export function operate(zip: Uint8Array, surgery: ZipSurgery): Uint8Array<ArrayBuffer> {
  let z = zip.slice();
  const e = eocdOffset(z);
  const records = centralRecords(z);
  const rec = (i: number) => records[i % Math.max(1, records.length)];
  switch (surgery.kind) {
    case 'entry-count':
      put16(z, e + 8, surgery.count);
      put16(z, e + 10, surgery.count);
      break;
    case 'directory-offset':
      put32(z, e + 16, surgery.offset);
      break;
    case 'sizes': {
      const r = rec(surgery.record);
      if (r !== undefined) {
        put32(z, r + 20, surgery.compressed);
        put32(z, r + 24, surgery.original);
      }
      break;
    }
    case 'method': {
      const r = rec(surgery.record);
      if (r !== undefined) put16(z, r + 10, surgery.method);
      break;
    }
    case 'local-offset': {
      const r = rec(surgery.record);
      if (r !== undefined) put32(z, r + 42, surgery.offset);
      break;
    }
    case 'name-length': {
      const r = rec(surgery.record);
      if (r !== undefined) put16(z, r + 28, surgery.length);
      break;
    }
    case 'zip64-count':
      z = withZip64Count(z, surgery.count);
      break;
  }
  return z;
}

/**
 * Insert a zip64 end-of-central-directory record and locator claiming `count` entries (the
 * classic record keeps its real count): a reader that believes it loops `count` times.
 */
export function withZip64Count(zip: Uint8Array, count: number): Uint8Array<ArrayBuffer> {
  const e = eocdOffset(zip);
  const cdOffset = u32(zip, e + 16);
  const cdSize = u32(zip, e + 12);
  const record = bytesOf(le32(0x06064b50), le64(44n), [45, 0], [45, 0], le32(0), le32(0), le64(BigInt(count)), le64(BigInt(count)), le64(BigInt(cdSize)), le64(BigInt(cdOffset)));
  const locator = bytesOf(le32(0x07064b50), le32(0), le64(BigInt(e)), le32(1));
  return concat(zip.subarray(0, e), record, locator, zip.subarray(e));
}
