/**
 * The command-line interface on the same core as the app: `npm run --silent cli -- <command>`.
 * Runs TF.js's CPU backend in Node. Errors go to stderr with a non-zero exit.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../core/backend';
import { DatasetError } from '../core/data/datasetError';
import { ModelFileError } from '../core/io/modelFileError';
import { PromptFileError } from '../core/promptFile/promptFileError';
import { CliError, CliHelp } from './cliError';
import { evalCommand } from './commands/evalCommand';
import { exportJob } from './commands/exportJob';
import { exportPeft } from './commands/exportPeft';
import { interpret } from './commands/interpret';
import { neighbours } from './commands/neighbours';
import { predict } from './commands/predict';
import { train } from './commands/train';

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = { train, eval: evalCommand, predict, neighbours, interpret, 'export-peft': exportPeft, 'export-job': exportJob };

const HELP = `usage: npm run --silent cli -- <command> [flags]
commands:
  train        prompt-tune on a labelled CSV, write a .prompt.safetensors file
  eval         accuracy and mean token loss of a prompt on a labelled CSV
  predict      label a CSV with one prompt or an ensemble of prompts
  neighbours   nearest vocabulary tokens of each prompt token
  interpret    neighbours, norms, PCA map, drift; with --example, attention and token importance
  export-peft  write a prompt as a Hugging Face PEFT adapter folder
  export-job   write a ready-to-run PEFT prompt-tuning job for a GPU cluster (train.py, recipe, split)
run a command with --help for its flags`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${HELP}\n`);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`unknown command "${command}"\n${HELP}\n`);
    return 2;
  }
  // WebAssembly (XNNPACK) is 10–30x faster than the pure-JS CPU backend; the CPU backend if it cannot start.
  await selectBackend(['wasm', 'cpu']);
  tf.env().set('PROD', true); // silences the "install tfjs-node" banner, which cannot be installed offline
  try {
    await run(rest);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CliHelp) {
      process.stdout.write(`${e.message}\n`);
      return 0;
    }
    // Errors about the user's input are one line; anything else is a bug and shows its stack.
    const aboutInput = e instanceof CliError || e instanceof ModelFileError || e instanceof PromptFileError || e instanceof DatasetError;
    process.stderr.write(`error: ${(e as Error).message}\n`);
    if (!aboutInput || process.env.DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
