/**
 * `predict`: label every row of a CSV. Several prompts form an ensemble: every chunk of rows is
 * scored under all prompts in one batched pass, and the answer is the majority vote (ties broken
 * by the mean log-likelihood); each prompt's vote is written too.
 */
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import Papa from 'papaparse';
import { detectColumns } from '../../core/data/columnDetection';
import { predictEnsemble } from '../../core/eval/predictEnsemble';
import { encodeExamples, encodeTargets, taskFromExamples } from '../../core/task/taskFormat';
import { DEFAULT_MAX_ANSWER_TOKENS } from '../../core/eval/predictText';
import { CliError } from '../cliError';
import { int, parse, required } from '../args';
import { TASK_FLAG, taskKindFlag } from '../taskFlag';
import { predictTexts, tableRows } from './predictText';
import { HEADER_FLAG, headerMode, loadModel, readPrompts, readTableFile, requireTokenizer } from '../inputs';

const USAGE = 'predict --model DIR --prompt FILE [--prompt FILE ...] --data CSV|TSV|JSONL [--text-column C] [--header yes|no|auto] [--labels a,b,...] [--task classify|text] [--max-answer-length N] --out CSV';

export async function predict(argv: string[]): Promise<void> {
  const a = parse(argv, { model: { type: 'string' }, prompt: { type: 'string', multiple: true }, data: { type: 'string' }, out: { type: 'string' }, 'text-column': { type: 'string' }, labels: { type: 'string' }, 'max-answer-length': { type: 'string' }, ...TASK_FLAG, ...HEADER_FLAG }, USAGE);
  const maxNewTokens = int(a['max-answer-length'], '--max-answer-length', DEFAULT_MAX_ANSWER_TOKENS, 1);
  const modelDir = required(a.model, '--model', USAGE);
  const out = required(a.out, '--out', USAGE);
  const loaded = await loadModel(modelDir);
  const tokenizer = requireTokenizer(loaded, modelDir);
  const files = await readPrompts(a.prompt, loaded.config.dModel, USAGE);
  // A prompt file without a task type predates text tasks: classification.
  const kind = taskKindFlag(a.task, [], files[0]!.metadata.task ?? 'classify');
  const labels = a.labels ? a.labels.split(',').map((s) => s.trim()) : files[0]!.metadata.labels;
  if (kind === 'classify' && !labels?.length) throw new CliError('the prompt file names no labels; pass them with --labels a,b,c');

  const dataPath = required(a.data, '--data', USAGE);
  const table = await readTableFile(dataPath, headerMode(a.header));
  const textColumn = a['text-column'] ?? detectColumns(table)?.text ?? table.columns[0]!;
  const textIndex = table.columns.indexOf(textColumn);
  if (textIndex < 0) throw new CliError(`no column "${textColumn}" in ${dataPath}; the columns are ${table.columns.join(', ')}`);

  const template = files[0]!.metadata.template || undefined;
  const rows = tableRows(table, textIndex, template, dataPath);
  const several = files.length > 1;
  if (kind === 'text') {
    await predictTexts({ model: loaded.model, tokenizer, eosTokenId: loaded.config.eosTokenId, files, template, rows, table, out, maxNewTokens });
    loaded.model.dispose();
    return;
  }
  const task = taskFromExamples([], { labels: labels!, template });
  const encoded = encodeExamples(tokenizer, task, rows.map((r) => ({ ...r, label: labels![0]! })), files[0]!.prompt.length, loaded.config.eosTokenId);
  const prompts = files.map((f) => tf.tensor2d(f.prompt.values, [f.prompt.length, f.prompt.width]));
  const predictions = await predictEnsemble(loaded.model, prompts, encoded.examples.map((e) => e.inputIds), encodeTargets(tokenizer, task)).finally(() => tf.dispose(prompts));
  // Answers in the data's own labels ("1", not the "positive" the prompt was trained to write) when the file records them.
  const recorded = files[0]!.metadata.labelValues;
  const names = !a.labels && recorded?.length === labels!.length ? recorded : labels!;
  const header = [...table.columns, 'prediction', ...(several ? files.map((_, k) => `vote_${k + 1}`) : [])];
  const body = table.rows.map((r, i) => [...r, names[predictions[i]!.answer]!, ...(several ? predictions[i]!.votes.map((l) => names[l]!) : [])]);
  await writeFile(out, `${Papa.unparse([header, ...body])}\n`);
  process.stderr.write(`wrote ${rows.length} predictions to ${out}\n`);
  loaded.model.dispose();
}
