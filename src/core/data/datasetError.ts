/**
 * The one error type the CSV/dataset readers in `core/data` throw for bad input, so callers (UI,
 * CLI, tests) can tell "the file is wrong, here is what to do" apart from bugs. Messages are
 * written for the person who dropped the file in.
 */
export type DatasetErrorCode =
  /** Binary data (an image, a zip/xlsx, a model file...), not delimited text. */
  | 'not-text'
  /** Nothing but blank lines: not even a header row. */
  | 'empty'
  /** A header but no data rows, or no row with both a text and a label. */
  | 'no-rows'
  /** Fewer than two usable columns, or the text and label columns could not be told apart. */
  | 'no-columns'
  /** A column asked for by name is not in the file. */
  | 'column-not-found'
  /** Fewer than two distinct labels: nothing to classify. */
  | 'too-few-classes'
  /** The table would not fit in memory (e.g. a huge header over rows with few fields). */
  | 'too-big'
  /** A JSON or JSON Lines file with no JSON object in it. */
  | 'bad-json';

export class DatasetError extends Error {
  readonly code: DatasetErrorCode;

  constructor(code: DatasetErrorCode, message: string) {
    super(message);
    this.name = 'DatasetError';
    this.code = code;
  }
}
