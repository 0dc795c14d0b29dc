/** An error about the user's input: printed as one line (or a few), without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
}

/** `--help` was asked for: its text goes to stdout and the command exits 0. */
export class CliHelp extends Error {
  override name = 'CliHelp';
}
