/**
 * Reader for PyTorch `pytorch_model.bin` files as written by `torch.save` (torch >= 1.6):
 * a zip holding `<archive>/data.pkl` (the state dict, pickled, with tensors as references to
 * storages), `<archive>/data/<key>` (each storage's raw little-endian bytes) and optionally
 * `<archive>/byteorder` and `<archive>/version`.
 *
 * The pickle is read by the restricted unpickler in `pickle.ts`; the hooks below allow only the
 * few globals a state dict uses, each mapped to an inert descriptor. Storage bytes stay in the zip
 * until a tensor is read, so we never hold a second copy of the whole file.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { ModelFileError, type ModelFileErrorCode } from './modelFileError';
import { decodeToF32, isStoredDtype } from './dtype';
import { clip } from './jsonPreview';
import { describePickleValue, isPickleObject, unpickle, type PickleObject, type PickleValue } from './pickle';
import type { StoredTensorInfo, TensorStore } from './tensorStore';

export interface TorchTensorEntry extends StoredTensorInfo {
  /** Zip entry holding the storage bytes. */
  storageEntry: string;
  /** In elements, as torch counts them. */
  storageOffset: number;
  stride: number[];
  bytesPerElement: number;
}

export interface TorchCheckpoint extends TensorStore {
  entries: Map<string, TorchTensorEntry>;
}

/** torch storage classes, by the dtype names safetensors uses. */
const STORAGE_TYPES: Record<string, { dtype: string; bytes: number }> = {
  FloatStorage: { dtype: 'F32', bytes: 4 },
  HalfStorage: { dtype: 'F16', bytes: 2 },
  BFloat16Storage: { dtype: 'BF16', bytes: 2 },
  DoubleStorage: { dtype: 'F64', bytes: 8 },
  LongStorage: { dtype: 'I64', bytes: 8 },
  IntStorage: { dtype: 'I32', bytes: 4 },
  ShortStorage: { dtype: 'I16', bytes: 2 },
  CharStorage: { dtype: 'I8', bytes: 1 },
  ByteStorage: { dtype: 'U8', bytes: 1 },
  BoolStorage: { dtype: 'BOOL', bytes: 1 },
  ComplexFloatStorage: { dtype: 'C64', bytes: 8 },
  ComplexDoubleStorage: { dtype: 'C128', bytes: 16 },
};

interface StorageType extends PickleObject {
  pickleKind: 'torch storage class';
  className: string;
  dtype: string;
  bytes: number;
}

interface StorageRef extends PickleObject {
  pickleKind: 'torch storage';
  type: StorageType;
  key: string;
}

interface TensorDesc extends PickleObject {
  pickleKind: 'torch tensor';
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}

const isKind = <T extends PickleObject>(v: PickleValue | undefined, kind: T['pickleKind']): v is T =>
  isPickleObject(v) && v.pickleKind === kind;

/** Deflate expands at most ~1032x; a larger declared size is a lie we must not allocate for. */
const MAX_DEFLATE_RATIO = 1032;
/** The smallest possible zip central directory record. */
const MIN_CENTRAL_RECORD = 46;
/** Stride-0 (expanded) views can claim more elements than their storage; cap what we allocate. */
const MAX_ELEMENTS = 2 ** 30;
/**
 * A view that repeats stored values (stride 0, overlapping strides) may expand at most to this many
 * elements: otherwise 16 stored bytes could demand a 4 GB copy. Real state dicts save such views rarely, and small.
 */
const MAX_EXPANDED_ELEMENTS = 2 ** 24;

export function parseTorchCheckpoint(bytes: Uint8Array, fileName = 'pytorch_model.bin'): TorchCheckpoint {
  const fail = (code: ModelFileErrorCode, msg: string): never => {
    throw new ModelFileError(code, msg, fileName);
  };

  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1]! <= 5) {
    fail(
      'unsupported-format',
      'this is the legacy (pre-1.6) torch.save format, which is not supported. Re-save it with a recent PyTorch, or convert it to safetensors.',
    );
  }

  /** Extract the entries `want` accepts; every entry's info is passed to `seen`. */
  const unzip = (want: (name: string) => boolean, seen?: (info: UnzipFileInfo) => void): Record<string, Uint8Array> => {
    let count = 0;
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(bytes, {
        filter: (info) => {
          // A hostile directory can claim billions of entries; real ones need 46+ bytes each.
          if (++count > bytes.length / MIN_CENTRAL_RECORD) fail('bad-header', 'the zip directory lists more entries than the file can hold.');
          seen?.(info);
          if (!want(info.name)) return false;
          if (info.compression !== 0 && info.compression !== 8) {
            fail('unsupported-format', `zip entry ${clip(info.name)} uses compression method ${info.compression}; only stored and deflate are supported.`);
          }
          // The compressed size bounds the allocation below, so it must fit in the file itself.
          if (info.size > bytes.length) fail('truncated', `zip entry ${clip(info.name)} claims ${info.size} compressed bytes but the file has only ${bytes.length}. The file is truncated or damaged.`);
          if (info.compression === 8 && info.originalSize > info.size * MAX_DEFLATE_RATIO + 1024) {
            fail('bad-header', `zip entry ${clip(info.name)} claims an impossible uncompressed size.`);
          }
          return true;
        },
      });
    } catch (e) {
      if (e instanceof ModelFileError) throw e;
      return fail(
        'truncated',
        `the file is not a complete zip archive (${e instanceof Error ? e.message : String(e)}). The file is truncated or is not a PyTorch checkpoint; download it again.`,
      );
    }
    return files;
  };

  // Pass 1: list every entry, extract only the pickle and byteorder.
  const infos = new Map<string, UnzipFileInfo>();
  const topLevel = (name: string, base: string): boolean => name.endsWith('/' + base) && name.indexOf('/') === name.length - base.length - 1;
  const small = unzip(
    (name) => topLevel(name, 'data.pkl') || topLevel(name, 'byteorder'),
    (info) => void infos.set(info.name, info),
  );
  const pickles = Object.keys(small).filter((n) => n.endsWith('/data.pkl'));
  if (pickles.length === 0) {
    fail('unsupported-format', 'the file is a zip archive but holds no data.pkl, so it is not a torch.save checkpoint. Use pytorch_model.bin or model.safetensors.');
  }
  if (pickles.length > 1) fail('unsupported-format', `the file holds several pickles (${clip(pickles.join(', '), 200)}); expected one torch.save archive.`);
  const pklName = pickles[0]!;
  const prefix = pklName.slice(0, -'data.pkl'.length);

  const checkLength = (name: string, data: Uint8Array): Uint8Array => {
    const declared = infos.get(name)?.originalSize;
    if (declared !== undefined && data.length !== declared) {
      fail('truncated', `zip entry ${clip(name)} holds ${data.length} bytes but declares ${declared}. The file is truncated; download it again.`);
    }
    return data;
  };

  const byteorder = small[prefix + 'byteorder'];
  if (byteorder) {
    const order = new TextDecoder().decode(checkLength(prefix + 'byteorder', byteorder)).trim();
    if (order !== 'little') fail('unsupported-format', `the file stores tensors in "${clip(order)}" byte order; only little-endian checkpoints are supported.`);
  }

  let root: PickleValue;
  try {
    root = unpickle(checkLength(pklName, small[pklName]!), { findClass, persistentLoad }, pklName);
  } catch (e) {
    // Errors from the unpickler name data.pkl but not the file the user picked.
    if (e instanceof ModelFileError && e.file === undefined) throw new ModelFileError(e.code, e.message, fileName);
    throw e;
  }
  if (!(root instanceof Map)) fail('unsupported-format', `the file holds a pickled ${describePickleValue(root)}, not a state dict. Save model.state_dict().`);

  const entries = new Map<string, TorchTensorEntry>();
  for (const [name, value] of root as Map<PickleValue, PickleValue>) {
    if (typeof name !== 'string' || !isKind<TensorDesc>(value, 'torch tensor')) continue; // e.g. non-tensor extras
    const { storage, offset, shape, stride } = value;
    const storageEntry = `${prefix}data/${storage.key}`;
    const info = infos.get(storageEntry);
    if (!info) fail('truncated', `the storage of tensor "${clip(name)}" (${clip(storageEntry)}) is missing from the archive. The file is truncated or damaged.`);
    const numel = shape.reduce((a, d) => a * d, 1);
    if (numel > MAX_ELEMENTS) fail('bad-shape', `tensor "${clip(name)}" of shape [${shape.join(', ')}] has more elements than this reader can load.`);
    const span = extentElements(shape, stride, 0);
    if (numel > span && numel > MAX_EXPANDED_ELEMENTS) {
      fail('bad-shape', `tensor "${clip(name)}" of shape [${shape.join(', ')}] repeats ${span} stored values to make ${numel} (a stride-0 or overlapping view), more than this reader expands. Save it with .contiguous() first.`);
    }
    const needed = extentElements(shape, stride, offset) * storage.type.bytes;
    if (needed > info!.originalSize) {
      fail('truncated', `tensor "${clip(name)}" needs ${needed} bytes of its storage but ${clip(storageEntry)} holds only ${info!.originalSize}. The file is truncated or damaged.`);
    }
    entries.set(name, { name, dtype: storage.type.dtype, shape, storageEntry, storageOffset: offset, stride, bytesPerElement: storage.type.bytes });
  }
  if (entries.size === 0) fail('unsupported-format', 'the file holds no tensors. Save the weights with torch.save(model.state_dict()).');

  return {
    fileName,
    entries,
    names: () => [...entries.keys()],
    info: (name) => entries.get(name),
    readF32(name: string): Float32Array {
      const e = entries.get(name);
      if (!e) throw new ModelFileError('missing-tensor', `no tensor named "${name}".`, fileName);
      if (!isStoredDtype(e.dtype)) {
        throw new ModelFileError('unknown-dtype', `tensor "${clip(name)}" has dtype ${clip(e.dtype)}; only F32, F16, BF16 and F64 tensors can be loaded.`, fileName);
      }
      // Extracting one entry at a time keeps memory at one storage, not a copy of the file.
      const storage = checkLength(e.storageEntry, unzip((n) => n === e.storageEntry)[e.storageEntry] ?? new Uint8Array(0));
      const numel = e.shape.reduce((a, d) => a * d, 1);
      if (numel === 0) return new Float32Array(0);
      const span = extentElements(e.shape, e.stride, 0);
      const src = decodeToF32(storage.subarray(e.storageOffset * e.bytesPerElement), e.dtype, span);
      return span === numel && isRowMajor(e.shape, e.stride) ? src : gather(src, e.shape, e.stride, numel);
    },
  };

  function findClass(module: string, name: string): PickleValue {
    if (module === 'torch._utils' && name === '_rebuild_tensor_v2') return callable(`${module}.${name}`, rebuildTensor);
    if (module === 'torch._utils' && (name === '_rebuild_parameter' || name === '_rebuild_parameter_with_state')) {
      return callable(`${module}.${name}`, (args) => {
        // A Parameter is its data tensor plus autograd flags we do not need.
        if (!isKind<TensorDesc>(args[0], 'torch tensor')) return malformed(`${name} expects a tensor, got ${describePickleValue(args[0])}`);
        return args[0];
      });
    }
    if (module === 'collections' && name === 'OrderedDict') {
      return callable('collections.OrderedDict', (args) => {
        if (args.length === 0) return new Map();
        return malformed('OrderedDict built from arguments');
      });
    }
    const storage = module === 'torch' ? STORAGE_TYPES[name] : undefined;
    if (storage) {
      const marker: StorageType = { pickleKind: 'torch storage class', className: name, ...storage };
      return marker;
    }
    return fail(
      'unsupported-format',
      `the file's pickle refers to ${module}.${name}, which a plain state dict never uses, so it was not loaded (nothing in the file is ever executed). ` +
        'Save the weights with torch.save(model.state_dict()) or convert them to safetensors.',
    );
  }

  /** BINPERSID: ('storage', storage_type, key, location, numel). */
  function persistentLoad(pid: PickleValue): PickleValue {
    if (!Array.isArray(pid) || pid.length !== 5 || pid[0] !== 'storage') return malformed(`unexpected persistent id ${describePickleValue(pid)}`);
    const [, type, key] = pid;
    if (!isKind<StorageType>(type, 'torch storage class')) return malformed(`storage type is ${describePickleValue(type)}`);
    if (typeof key !== 'string') return malformed(`storage key is ${describePickleValue(key)}`);
    const ref: StorageRef = { pickleKind: 'torch storage', type, key };
    return ref;
  }

  /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
  function rebuildTensor(args: readonly PickleValue[]): PickleValue {
    if (args.length < 6 || args.length > 7) return malformed(`_rebuild_tensor_v2 with ${args.length} arguments`);
    const [storage, offset, size, stride] = args;
    if (!isKind<StorageRef>(storage, 'torch storage')) return malformed(`tensor storage is ${describePickleValue(storage)}`);
    if (!isIndex(offset)) return malformed(`tensor storage offset is ${describePickleValue(offset)}`);
    const shape = indexList(size, 'size');
    const strides = indexList(stride, 'stride');
    if (shape.length !== strides.length) return malformed(`tensor has ${shape.length} sizes but ${strides.length} strides`);
    const tensor: TensorDesc = { pickleKind: 'torch tensor', storage, offset, shape, stride: strides };
    return tensor;
  }

  function indexList(v: PickleValue | undefined, what: string): number[] {
    if (!Array.isArray(v) || !v.every(isIndex)) return malformed(`tensor ${what} is ${describePickleValue(v)}`);
    return [...(v as number[])];
  }

  function malformed(msg: string): never {
    return fail('bad-header', `${pklName} is malformed: ${msg}. The file is damaged or not a PyTorch checkpoint.`);
  }
}

function callable(name: string, call: (args: readonly PickleValue[]) => PickleValue): PickleObject {
  return { pickleKind: name, call };
}

function isIndex(v: PickleValue | undefined): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Elements from `offset` up to and including the last one the view touches (0 if empty). */
function extentElements(shape: number[], stride: number[], offset: number): number {
  if (shape.some((d) => d === 0)) return 0;
  return shape.reduce((end, d, i) => end + (d - 1) * stride[i]!, offset) + 1;
}

function isRowMajor(shape: number[], stride: number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && stride[i] !== expected) return false; // size-1 dims may carry any stride
    expected *= shape[i]!;
  }
  return true;
}

/** Copy a strided view (transposes, slices, expands) into row-major order. */
function gather(src: Float32Array, shape: number[], stride: number[], numel: number): Float32Array {
  const out = new Float32Array(numel);
  const idx = new Array<number>(shape.length).fill(0);
  let at = 0;
  for (let i = 0; i < numel; i++) {
    out[i] = src[at]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) {
        at += stride[d]!;
        break;
      }
      at -= (shape[d]! - 1) * stride[d]!;
      idx[d] = 0;
    }
  }
  return out;
}
