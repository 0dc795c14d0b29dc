/** What the model loader needs from a weights file, whatever its format. */
export interface StoredTensorInfo {
  name: string;
  /** The stored element type as the format names it (e.g. F32, BF16; torch storages map to these). */
  dtype: string;
  shape: number[];
}

export interface TensorStore {
  /** For error messages: the file the tensors came from. */
  readonly fileName: string;
  names(): string[];
  info(name: string): StoredTensorInfo | undefined;
  /** Decode one tensor to float32. Throws ModelFileError for unknown dtypes or missing names. */
  readF32(name: string): Float32Array;
}
