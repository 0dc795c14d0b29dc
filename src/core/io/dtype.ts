/** Conversions of stored floating point formats to float32 (the only dtype the model computes in). */

export type StoredDtype = 'F32' | 'F16' | 'BF16' | 'F64';

export const BYTES_PER_ELEMENT: Record<StoredDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

export function isStoredDtype(s: string): s is StoredDtype {
  return Object.prototype.hasOwnProperty.call(BYTES_PER_ELEMENT, s);
}

/** bfloat16 is the top half of a float32: shift the bits up. */
export function bf16ToF32(src: Uint16Array): Float32Array {
  const out = new Uint32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i]! << 16;
  return new Float32Array(out.buffer);
}

/** Round float32 values to the nearest bfloat16 (ties to even), returned as float32. */
export function roundToBf16(src: Float32Array): Float32Array {
  const bits = new Uint32Array(src.buffer.slice(src.byteOffset, src.byteOffset + src.byteLength));
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    if ((b & 0x7f800000) === 0x7f800000) {
      bits[i] = b & 0xffff0000; // inf / nan: truncate
      continue;
    }
    const rounding = 0x7fff + ((b >>> 16) & 1);
    bits[i] = ((b + rounding) & 0xffff0000) >>> 0;
  }
  return new Float32Array(bits.buffer);
}

/** IEEE half precision to float32, subnormals and specials included. */
export function f16ToF32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const h = src[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24;
    else if (exp === 0x1f) out[i] = frac ? NaN : sign * Infinity;
    else out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}

/**
 * Decode `count` little-endian elements of `dtype` starting at `bytes[0]` into float32.
 * Copies first, so the result never aliases (or misaligns on) the file buffer.
 */
export function decodeToF32(bytes: Uint8Array, dtype: StoredDtype, count: number): Float32Array {
  const n = count * BYTES_PER_ELEMENT[dtype];
  const copy = bytes.slice(0, n).buffer;
  switch (dtype) {
    case 'F32':
      return new Float32Array(copy, 0, count);
    case 'F64':
      return Float32Array.from(new Float64Array(copy, 0, count));
    case 'F16':
      return f16ToF32(new Uint16Array(copy, 0, count));
    case 'BF16':
      return bf16ToF32(new Uint16Array(copy, 0, count));
  }
}
