/**
 * A ready-to-run cluster job as a list of files, built the same way for the CLI (a folder) and the
 * studio (a zip): train.py, recipe.json, the exact split under data/, the warm-start prompt, the
 * Accelerate and DeepSpeed configurations and a README. Everything is checked before any file
 * exists, so a refused job leaves nothing behind.
 */
import Papa from 'papaparse';
import type { Split } from '../data/stratifiedSplit';
import { writePromptFile } from '../promptFile/promptFile';
import type { SoftPromptFile } from '../promptFile/softPrompt';
import { TRAINING_SETTINGS, validate, type SettingKey, type TrainingSettings } from '../settings/trainingSettings';
import type { LabeledExample, TaskSpec } from '../task/task';
import { extraTemplateFields } from '../task/template';
import { ACCELERATE_MULTI_GPU, ACCELERATE_ZERO3, accelerateMultiGpu, accelerateZero3, clusterProfile, DEEPSPEED_ZERO3, deepspeedZero3 } from './clusterConfigs';
import { JobError } from './jobError';
import { checkWarmStart, type JobModel } from './jobModel';
import { jobReadme } from './jobReadme';
import { makeRecipe, type DataFileEntry, type JobRecipe } from './jobRecipe';

export interface JobFile {
  /** Relative to the job folder, "/"-separated. */
  path: string;
  bytes: Uint8Array;
}

export interface JobInput {
  model: JobModel;
  settings: TrainingSettings;
  task: TaskSpec;
  /** The rows as the studio or the CLI split them (trainingSplit): written as they are, never re-split. */
  split: Split<LabeledExample>;
  test?: LabeledExample[];
  warmStart?: SoftPromptFile;
  /** train.py's text (src/core/job/train.py: the CLI reads it from disk, the studio bundles it). */
  script: string;
  created?: Date;
}

export interface Job {
  recipe: JobRecipe;
  files: JobFile[];
}

export const WARM_START_FILE = 'init_prompt.safetensors';

const utf8 = (text: string) => new TextEncoder().encode(text);

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The `dependencies` list of a script's PEP 723 block (`# dependencies = [` … `# ]`), one requirement a line. */
export function scriptDependencies(script: string): string[] {
  const block = /^# dependencies = \[\n((?:#.*\n)*?)# \]$/m.exec(script);
  return block ? [...block[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
}

/**
 * Rows as train.py reads them with Python's csv module: a text,label header, then the columns a
 * multi-field template names (`fields`), every field quoted.
 */
export function rowsCsv(rows: LabeledExample[], fields: readonly string[] = []): string {
  const body = rows.map((r) => [r.text, r.label, ...fields.map((f) => r.fields?.[f] ?? '')]);
  return `${Papa.unparse([['text', 'label', ...fields], ...body], { quotes: true, newline: '\n' })}\n`;
}

/** Every reason this job cannot be exported, before anything is written. */
function problems(input: JobInput): string[] {
  const out = validate(input.settings).map((p) => `--${TRAINING_SETTINGS[p.key as SettingKey]?.flag ?? p.key}: ${p.message}`);
  const { task, split, settings } = input;
  if (task.maxInputTokens !== settings.maxInputTokens) out.push(`the task's maximum input length (${task.maxInputTokens}) differs from the setting (${settings.maxInputTokens})`);
  if (task.template !== settings.template) out.push(`the task's template ${JSON.stringify(task.template)} differs from the setting (${JSON.stringify(settings.template)})`);
  if (split.train.length === 0) out.push('there are no training rows');
  const rows = [...split.train, ...split.validation, ...(input.test ?? [])];
  const missing = extraTemplateFields(task.template).filter((f) => rows.some((r) => r.fields?.[f] === undefined));
  if (missing.length) out.push(`the template names ${missing.map((f) => `{${f}}`).join(', ')}, but some rows carry no such column; read the data with the template's columns`);
  // A text task's targets are each row's own answer: there is no label set to check, but every row needs one.
  const unanswered = task.kind === 'text' ? rows.filter((r) => !r.label.trim()).length : 0;
  if (unanswered) out.push(`${unanswered} rows have no answer in their label column; a text-to-text row needs one`);
  if (task.kind !== 'text') {
    const known = new Set(task.labels);
    const unknown = [...new Set([...split.train, ...split.validation].map((e) => e.label).filter((l) => !known.has(l)))];
    if (unknown.length) out.push(`rows have labels the task does not know: ${unknown.slice(0, 5).join(', ')}`);
    if (new Set(task.targetTexts).size !== task.targetTexts.length || task.targetTexts.some((t) => !t.trim())) {
      out.push(`label texts must be distinct and not empty (${task.targetTexts.map((t) => JSON.stringify(t)).join(', ')})`);
    }
  }
  if (!input.script.startsWith('# /// script') || scriptDependencies(input.script).length === 0) out.push('train.py is not the job script (it must start with its PEP 723 block)');
  return out;
}

export async function buildJob(input: JobInput): Promise<Job> {
  const found = problems(input);
  if (found.length) throw new JobError(found.join('\n'));
  const { model, settings, warmStart } = input;
  if (warmStart) checkWarmStart(warmStart.prompt, model, settings.promptLength);

  const files: JobFile[] = [];
  const add = async (path: string, bytes: Uint8Array): Promise<DataFileEntry> => {
    files.push({ path, bytes });
    return { file: path, rows: 0, sha256: await sha256(bytes) };
  };
  const fields = extraTemplateFields(input.task.template);
  const dataFile = async (part: string, rows: LabeledExample[]) => ({ ...(await add(`data/${part}.csv`, utf8(rowsCsv(rows, fields)))), rows: rows.length });

  const data: JobRecipe['data'] = { train: await dataFile('train', input.split.train) };
  if (input.split.validation.length) data.validation = await dataFile('validation', input.split.validation);
  if (input.test?.length) data.test = await dataFile('test', input.test);
  let warm: JobRecipe['warmStart'];
  if (warmStart) {
    const { file, sha256: hash } = await add(WARM_START_FILE, writePromptFile(warmStart.prompt, { ...warmStart.metadata, dModel: warmStart.prompt.width }));
    warm = { file, sha256: hash, length: warmStart.prompt.length, width: warmStart.prompt.width };
  }

  const cluster = clusterProfile(model);
  const recipe = makeRecipe({ model, settings, task: input.task, data, ...(warm ? { warmStart: warm } : {}), cluster, created: input.created ?? new Date() });
  files.unshift(
    { path: 'train.py', bytes: utf8(input.script) },
    { path: 'recipe.json', bytes: utf8(`${JSON.stringify(recipe, null, 2)}\n`) },
    { path: 'README.md', bytes: utf8(jobReadme(recipe, scriptDependencies(input.script))) },
  );
  files.push(
    { path: ACCELERATE_MULTI_GPU, bytes: utf8(accelerateMultiGpu(cluster)) },
    { path: ACCELERATE_ZERO3, bytes: utf8(accelerateZero3()) },
    { path: DEEPSPEED_ZERO3, bytes: utf8(deepspeedZero3()) },
  );
  return { recipe, files };
}
