/**
 * The one error type the prompt-file readers and writers throw for bad input, so the UI can show
 * "this file is wrong, here is what to do" instead of a stack trace. Damaged safetensors files
 * (ModelFileError from core/io) are wrapped into this type too, with the original as `cause`.
 */
import { ModelFileError } from '../io/modelFileError';

export type PromptFileErrorCode =
  | 'damaged' // the safetensors container itself is unreadable (truncated, bad header)
  | 'missing-tensor'
  | 'bad-shape'
  | 'bad-dtype'
  | 'non-finite' // NaN or Infinity among the prompt values
  | 'bad-metadata'
  | 'bad-config' // adapter_config.json missing fields or not JSON
  | 'not-prompt-tuning' // a PEFT adapter of another kind (LoRA, prefix tuning, ...)
  | 'bad-zip'
  | 'unrecognised-files'
  | 'width-mismatch';

export class PromptFileError extends Error {
  readonly code: PromptFileErrorCode;
  /** The file the problem was found in, when known. */
  readonly file: string | undefined;

  constructor(code: PromptFileErrorCode, message: string, file?: string, options?: { cause?: unknown }) {
    super(file ? `${file}: ${message}` : message, options);
    this.name = 'PromptFileError';
    this.code = code;
    this.file = file;
  }
}

/** Run a core/io reader, turning its ModelFileError into a PromptFileError so callers catch one type. */
export function wrapModelFileError<T>(fileName: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof ModelFileError)) throw e;
    // ModelFileError already prefixes the file name; strip it so it is not repeated.
    const prefix = e.file ? `${e.file}: ` : '';
    const message = prefix && e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    throw new PromptFileError('damaged', message, fileName, { cause: e });
  }
}
