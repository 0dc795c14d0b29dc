/**
 * The one error type every reader in `core/io` throws for a broken or wrong *model file*
 * (safetensors, PyTorch pickle, config.json, tokenizer.json, a failed download), so callers
 * (UI, CLI, tests) can tell "the file is wrong, here is what to do" apart from bugs.
 * Not to be confused with the trainer's saved state, which the code calls a checkpoint.
 */
export type ModelFileErrorCode =
  | 'truncated'
  | 'bad-header'
  | 'unknown-dtype'
  | 'missing-tensor'
  | 'bad-shape'
  | 'bad-config'
  | 'missing-file'
  | 'unsupported-format'
  | 'network';

export class ModelFileError extends Error {
  readonly code: ModelFileErrorCode;
  /** The file the problem was found in, when known. */
  readonly file: string | undefined;

  constructor(code: ModelFileErrorCode, message: string, file?: string) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'ModelFileError';
    this.code = code;
    this.file = file;
  }
}
