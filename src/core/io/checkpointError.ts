/**
 * The one error type every reader in `core/io` throws for bad input, so callers
 * (UI, CLI, tests) can tell "the file is wrong, here is what to do" apart from bugs.
 */
export type CheckpointErrorCode =
  | 'truncated'
  | 'bad-header'
  | 'unknown-dtype'
  | 'missing-tensor'
  | 'bad-shape'
  | 'bad-config'
  | 'missing-file'
  | 'unsupported-format'
  | 'network';

export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;
  /** The file the problem was found in, when known. */
  readonly file: string | undefined;

  constructor(code: CheckpointErrorCode, message: string, file?: string) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'CheckpointError';
    this.code = code;
    this.file = file;
  }
}
