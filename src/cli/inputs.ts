/** Reading the CLI's inputs from disk: a model folder, a labelled CSV, a prompt in either format. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readLabeledCsv } from '../core/data/dataset';
import { nodeDirSource } from '../core/io/nodeDirSource';
import { loadT5, type LoadedT5 } from '../core/model/loadT5';
import { checkPromptWidth, importPrompt } from '../core/promptFile/peftAdapter';
import type { SoftPromptFile } from '../core/promptFile/softPrompt';
import { CliError } from './cliError';

async function readBytes(file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new CliError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

export async function loadModel(dir: string): Promise<LoadedT5> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`--model ${dir} is not a folder; pass a folder with config.json, model.safetensors (or pytorch_model.bin) and tokenizer.json`);
  return loadT5(nodeDirSource(dir));
}

export function requireTokenizer(loaded: LoadedT5, dir: string) {
  if (!loaded.tokenizer) throw new CliError(`${dir} has no tokenizer.json; the CLI needs it to encode text`);
  return loaded.tokenizer;
}

export async function readCsv(file: string, columns: { textColumn?: string; labelColumn?: string } = {}) {
  const data = readLabeledCsv(await readBytes(file, 'data file'), columns);
  for (const w of data.warnings) process.stderr.write(`warning: ${w}\n`);
  return data;
}

/** Several prompts for one ensemble: each checked against the model, all of one length. */
export async function readPrompts(files: string[] | undefined, dModel: number, usage: string): Promise<SoftPromptFile[]> {
  if (!files?.length) throw new CliError(`missing --prompt\nusage: ${usage}`);
  const prompts = await Promise.all(files.map((p) => readPrompt(p, dModel)));
  if (prompts.some((p) => p.prompt.length !== prompts[0]!.prompt.length)) throw new CliError('the prompts of an ensemble must have the same length');
  return prompts;
}

/** A prompt file, a PEFT adapter folder, or a PEFT zip; checked against the model's width. */
export async function readPrompt(file: string, dModel: number): Promise<SoftPromptFile> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new CliError(`cannot read prompt ${file}: no such file`);
  const files = info.isDirectory()
    ? await Promise.all((await readdir(file)).map(async (name) => ({ name, bytes: await readBytes(path.join(file, name), 'prompt') })))
    : [{ name: path.basename(file), bytes: await readBytes(file, 'prompt') }];
  const prompt = importPrompt(files);
  for (const note of prompt.notes) process.stderr.write(`note: ${note}\n`);
  checkPromptWidth(prompt, dModel);
  return prompt;
}
