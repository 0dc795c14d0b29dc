/** An error the CLI reports as one line on stderr (no stack trace): bad arguments or bad input files. */
export class CliError extends Error {
  override name = 'CliError';
}
