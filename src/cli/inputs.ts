/**
 * Reading the CLI's inputs from disk: a model folder, labelled data (CSV, TSV, JSON Lines; with or
 * without a header row), a prompt in either format; and the notes about the data that `train` prints.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { checkDataset, describeChecks } from '../core/data/datasetChecks';
import { readLabeledFile } from '../core/data/dataset';
import { describeHeader, type HeaderMode } from '../core/data/headerDetection';
import { checkLabelTexts, labelsLookLikeCodes, suggestLabelTexts } from '../core/data/labelTexts';
import { readTable } from '../core/data/readTable';
import { stratifiedSplit } from '../core/data/stratifiedSplit';
import type { LabeledExample } from '../core/task/task';
import type { T5Tokenizer } from '../core/tokenizer/t5Tokenizer';
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

/** `--header yes|no|auto`: whether the data file's first row holds column names (auto: detected). */
export const HEADER_FLAG = { header: { type: 'string' } } as const;
export const HEADER_HELP = '  --header yes|no|auto       whether the first row of a CSV/TSV holds column names (default: auto, detected)';

export function headerMode(value: unknown): HeaderMode {
  if (value === undefined) return 'auto';
  if (value === 'yes' || value === 'no' || value === 'auto') return value;
  throw new CliError(`--header must be yes, no or auto, got "${String(value)}"`);
}

/** A labelled CSV, TSV or JSON Lines file; warnings and what was decided about the first row go to stderr. */
export async function readCsv(file: string, options: { textColumn?: string; labelColumn?: string; header?: HeaderMode; fields?: readonly string[] } = {}) {
  const data = readLabeledFile(await readBytes(file, 'data file'), { ...options, fileName: file });
  for (const w of data.warnings) process.stderr.write(`warning: ${w}\n`);
  if (data.header?.detected && !data.header.hasHeader) {
    process.stderr.write(`note: ${describeHeader(data.header)}; text column '${data.textColumn}', label column '${data.labelColumn}'. Pass --header yes if the first row holds column names\n`);
  }
  return data;
}

/** An unlabelled (or labelled) table to predict on: CSV, TSV or JSON Lines. */
export async function readTableFile(file: string, header: HeaderMode) {
  const read = readTable(await readBytes(file, 'data file'), { fileName: file, header });
  for (const w of read.table.warnings) process.stderr.write(`warning: ${w}\n`);
  if (read.table.header?.detected && !read.table.header.hasHeader) process.stderr.write(`note: ${describeHeader(read.table.header)}. Pass --header yes if the first row holds column names\n`);
  return read.table;
}

/**
 * What `train` says about its data before training, none of it blocking: duplicates that leak
 * into validation (counted on the very split the trainer will make), imbalance with the majority
 * baseline, small classes, and label texts the model cannot tell apart or that are long (measured
 * with the model's tokenizer). Two labels trained to write the same text is an error.
 */
export function dataNotes(
  examples: LabeledExample[],
  task: { labels: string[]; targetTexts: string[] },
  o: { validationFraction: number; seed: number; rename: Record<string, string>; tokenizer: T5Tokenizer },
): void {
  const split = o.validationFraction > 0 ? stratifiedSplit(examples, (e) => e.label, o.validationFraction, o.seed) : undefined;
  const checks = checkDataset(examples, { validationFraction: o.validationFraction, ...(split ? { split } : {}) });
  for (const note of describeChecks(checks, o.validationFraction)) process.stderr.write(`note: ${note}\n`);

  const texts = Object.fromEntries(task.labels.map((l, i) => [l, task.targetTexts[i]!]));
  const pieces = (t: string) => o.tokenizer.encode(t).slice(0, -1).map((id) => o.tokenizer.token(id) ?? String(id));
  const issues = checkLabelTexts(texts, pieces);
  const blocking = issues.find((i) => i.severity === 'blocking');
  if (blocking) throw new CliError(`${blocking.message} (--label-text LABEL=TEXT)`);
  for (const issue of issues) process.stderr.write(`warning: ${issue.message}\n`);

  const unknown = Object.keys(o.rename).filter((l) => !task.labels.includes(l));
  if (unknown.length > 0) process.stderr.write(`warning: --label-text names ${unknown.map((l) => `'${l}'`).join(', ')}, not a label of the data (its labels: ${task.labels.slice(0, 10).map((l) => `'${l}'`).join(', ')})\n`);
  const suggestions = suggestLabelTexts(task.labels);
  if (Object.keys(o.rename).length === 0 && labelsLookLikeCodes(task.labels)) {
    const flags = suggestions[0] ? ` To train words instead: ${task.labels.map((l) => `--label-text ${l}=${suggestions[0]!.texts[l]}`).join(' ')}` : ' Words that describe each class (--label-text LABEL=TEXT) usually learn faster.';
    process.stderr.write(`note: the labels are numbers or codes (${task.labels.slice(0, 5).map((l) => `'${l}'`).join(', ')}): the model is trained to write them.${flags}\n`);
  }
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
