/**
 * `predict` for a text-to-text prompt: every row's generated answer (all prompts of an ensemble in
 * one batched pass per chunk, their vote as the prediction and each member's answer beside it).
 */
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import Papa from 'papaparse';
import type { CsvTable } from '../../core/data/csvTable';
import { findColumn } from '../../core/data/dataset';
import { predictText } from '../../core/eval/predictText';
import type { T5Model } from '../../core/model/t5Model';
import type { SoftPromptFile } from '../../core/promptFile/softPrompt';
import { DEFAULT_MAX_INPUT_TOKENS, DEFAULT_TEMPLATE, type LabeledExample } from '../../core/task/task';
import { extraTemplateFields } from '../../core/task/template';
import { encodeTextExamples } from '../../core/task/textExamples';
import type { T5Tokenizer } from '../../core/tokenizer/t5Tokenizer';
import { CliError } from '../cliError';

/** Each row's text and the other columns its template names (a clear error when one is missing). */
export function tableRows(table: CsvTable, textIndex: number, template: string | undefined, dataPath: string): LabeledExample[] {
  const fields = extraTemplateFields(template);
  const indices = fields.map((f) => {
    const column = findColumn(table.columns, f);
    if (column === undefined) throw new CliError(`the prompt's template "${template}" names {${f}}, but ${dataPath} has no column "${f}"; the columns are ${table.columns.join(', ')}`);
    return table.columns.indexOf(column);
  });
  return table.rows.map((r) => ({ text: r[textIndex] ?? '', label: '', ...(fields.length ? { fields: Object.fromEntries(fields.map((f, j) => [f, r[indices[j]!] ?? ''])) } : {}) }));
}

export interface TextPredictInput {
  model: T5Model;
  tokenizer: T5Tokenizer;
  eosTokenId: number;
  files: SoftPromptFile[];
  template: string | undefined;
  rows: LabeledExample[];
  table: CsvTable;
  out: string;
  maxNewTokens: number;
}

export async function predictTexts(o: TextPredictInput): Promise<void> {
  const task = { template: o.template ?? DEFAULT_TEMPLATE, maxInputTokens: DEFAULT_MAX_INPUT_TOKENS };
  const encoded = encodeTextExamples(o.tokenizer, task, o.rows, o.files[0]!.prompt.length, o.eosTokenId);
  const prompts = o.files.map((f) => tf.tensor2d(f.prompt.values, [f.prompt.length, f.prompt.width]));
  const predictions = await predictText(o.model, (ids) => o.tokenizer.decode(ids), prompts, encoded.examples.map((e) => e.inputIds), { maxNewTokens: o.maxNewTokens }).finally(() => tf.dispose(prompts));
  const cut = predictions.filter((p) => p.cut > 0).length;
  if (cut > 0) process.stderr.write(`note: ${cut} answers reached the ${o.maxNewTokens}-token limit before ending and were cut there (--max-answer-length)\n`);
  const several = o.files.length > 1;
  const header = [...o.table.columns, 'prediction', ...(several ? o.files.map((_, k) => `answer_${k + 1}`) : [])];
  const body = o.table.rows.map((r, i) => [...r, predictions[i]!.answer, ...(several ? predictions[i]!.members : [])]);
  await writeFile(o.out, `${Papa.unparse([header, ...body])}\n`);
  process.stderr.write(`wrote ${o.rows.length} generated answers to ${o.out}\n`);
}
