/**
 * Reader and writer for the safetensors format:
 *   8-byte little-endian header length N | N bytes of JSON header | raw tensor bytes.
 * The header maps tensor names to {dtype, shape, data_offsets} (offsets relative to the
 * data section) plus an optional "__metadata__" map of strings.
 * Every size is checked against the file before anything is allocated.
 */
import { ModelFileError } from './modelFileError';
import { BYTES_PER_ELEMENT, decodeToF32, isStoredDtype } from './dtype';
import { clip, jsonPreview } from './jsonPreview';
import type { StoredTensorInfo, TensorStore } from './tensorStore';

export interface SafetensorsEntry extends StoredTensorInfo {
  /** Absolute byte range of the tensor inside the file. */
  begin: number;
  end: number;
}

export interface SafetensorsFile extends TensorStore {
  entries: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

/** Largest header we accept; real headers are a few hundred KB at most. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export function parseSafetensors(bytes: Uint8Array, fileName = 'safetensors file'): SafetensorsFile {
  const fail = (code: 'truncated' | 'bad-header' | 'unknown-dtype' | 'bad-shape', msg: string): never => {
    throw new ModelFileError(code, msg, fileName);
  };
  if (bytes.length < 8) fail('truncated', `file is ${bytes.length} bytes, too short to hold a safetensors header. Re-download it.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.length - 8) {
    fail('truncated', `header length ${headerLen} runs past the end of the file (${bytes.length} bytes). The file is truncated or not a safetensors file.`);
  }
  if (headerLen > MAX_HEADER_BYTES) fail('bad-header', `header length ${headerLen} is implausibly large.`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch {
    return fail('bad-header', 'header is not valid JSON. The file is damaged or not a safetensors file.');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return fail('bad-header', 'header is not a JSON object.');
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const entries = new Map<string, SafetensorsEntry>();
  const metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw && typeof raw === 'object') {
        for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === 'string') metadata[k] = v;
      }
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!e || typeof e.dtype !== 'string' || !Array.isArray(e.shape) || !Array.isArray(e.data_offsets) || e.data_offsets.length !== 2) {
      return fail('bad-header', `tensor "${clip(name)}" has no valid dtype/shape/data_offsets.`);
    }
    const shape = e.shape as unknown[];
    if (!shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) fail('bad-shape', `tensor "${clip(name)}" has an invalid shape ${jsonPreview(shape)}.`);
    const [b, en] = e.data_offsets as unknown[];
    if (!Number.isSafeInteger(b) || !Number.isSafeInteger(en) || (b as number) < 0 || (en as number) < (b as number)) {
      fail('bad-header', `tensor "${clip(name)}" has invalid data offsets ${jsonPreview(e.data_offsets)}.`);
    }
    if ((en as number) > dataLen) {
      fail('truncated', `tensor "${clip(name)}" ends at byte ${en} of the data section, but only ${dataLen} bytes are present. The file is truncated.`);
    }
    const numel = (shape as number[]).reduce((a, d) => a * d, 1);
    if (isStoredDtype(e.dtype) && numel * BYTES_PER_ELEMENT[e.dtype] !== (en as number) - (b as number)) {
      fail('bad-shape', `tensor "${clip(name)}" of shape [${shape.join(', ')}] ${e.dtype} needs ${numel * BYTES_PER_ELEMENT[e.dtype]} bytes but its offsets span ${(en as number) - (b as number)}.`);
    }
    entries.set(name, { name, dtype: e.dtype, shape: shape as number[], begin: dataStart + (b as number), end: dataStart + (en as number) });
  }
  return {
    fileName,
    entries,
    metadata,
    names: () => [...entries.keys()],
    info: (name: string) => entries.get(name),
    readF32(name: string): Float32Array {
      const e = entries.get(name);
      if (!e) throw new ModelFileError('missing-tensor', `no tensor named "${name}".`, fileName);
      if (!isStoredDtype(e.dtype)) {
        throw new ModelFileError('unknown-dtype', `tensor "${clip(name)}" has dtype ${clip(e.dtype)}; only F32, F16, BF16 and F64 are supported.`, fileName);
      }
      const numel = e.shape.reduce((a, d) => a * d, 1);
      return decodeToF32(bytes.subarray(e.begin, e.end), e.dtype, numel);
    },
  };
}

export interface TensorToWrite {
  shape: number[];
  data: Float32Array;
}

/** Write float32 tensors (in the given order) and string metadata as a safetensors file. */
export function writeSafetensors(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const numel = t.shape.reduce((a, d) => a * d, 1);
    if (numel !== t.data.length) throw new Error(`tensor "${name}": shape [${t.shape.join(', ')}] holds ${numel} values, data has ${t.data.length}`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
  const enc = new TextEncoder();
  const pad = (8 - (enc.encode(json).length % 8)) % 8;
  json += ' '.repeat(pad);
  const headerBytes = enc.encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const t of Object.values(tensors)) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}
