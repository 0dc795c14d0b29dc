/** `predict`: label every row of a CSV; several prompts vote (majority, ties to the higher mean log-likelihood). */
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import Papa from 'papaparse';
import { decodeText } from '../../core/data/decodeText';
import { parseCsvTable } from '../../core/data/csvTable';
import { detectColumns } from '../../core/data/columnDetection';
import { scoreLabels } from '../../core/eval/scoreLabels';
import { encodeExamples, encodeTargets, taskFromExamples } from '../../core/task/taskFormat';
import { CliError } from '../cliError';
import { parse, required } from '../args';
import { loadModel, readPrompt, requireTokenizer } from '../inputs';
import { readFile } from 'node:fs/promises';

const USAGE = 'predict --model DIR --prompt FILE [--prompt FILE ...] --data CSV [--text-column C] [--labels a,b,...] --out CSV';

export async function predict(argv: string[]): Promise<void> {
  const a = parse(argv, { model: { type: 'string' }, prompt: { type: 'string', multiple: true }, data: { type: 'string' }, out: { type: 'string' }, 'text-column': { type: 'string' }, labels: { type: 'string' } }, USAGE);
  const modelDir = required(a.model, '--model', USAGE);
  const out = required(a.out, '--out', USAGE);
  if (!a.prompt?.length) throw new CliError(`missing --prompt\nusage: ${USAGE}`);
  const loaded = await loadModel(modelDir);
  const tokenizer = requireTokenizer(loaded, modelDir);
  const files = await Promise.all(a.prompt.map((p) => readPrompt(p, loaded.config.dModel)));
  const labels = a.labels ? a.labels.split(',').map((s) => s.trim()) : files[0]!.metadata.labels;
  if (!labels?.length) throw new CliError('the prompt file names no labels; pass them with --labels a,b,c');

  const table = parseCsvTable(decodeText(new Uint8Array(await readFile(required(a.data, '--data', USAGE)))).text);
  const textColumn = a['text-column'] ?? detectColumns(table)?.text ?? table.columns[0]!;
  const textIndex = table.columns.indexOf(textColumn);
  if (textIndex < 0) throw new CliError(`no column "${textColumn}"; the columns are ${table.columns.join(', ')}`);

  const task = taskFromExamples([], { labels, template: files[0]!.metadata.template || undefined });
  const rows = table.rows.map((r) => ({ text: r[textIndex] ?? '', label: labels[0]! }));
  const targets = encodeTargets(tokenizer, task);
  const votes: number[][] = rows.map(() => []);
  const meanScore = rows.map(() => new Float64Array(labels.length));
  for (const file of files) {
    const encoded = encodeExamples(tokenizer, task, rows, file.prompt.length, loaded.config.eosTokenId);
    const prompt = tf.tensor2d(file.prompt.values, [file.prompt.length, file.prompt.width]);
    for (let start = 0; start < rows.length; start += 32) {
      const batch = encoded.examples.slice(start, start + 32);
      const scores = await scoreLabels(loaded.model, prompt, batch.map((e) => e.inputIds), targets);
      batch.forEach((_, i) => {
        const row = scores.subarray(i * labels.length, (i + 1) * labels.length);
        votes[start + i]!.push(row.indexOf(Math.max(...row)));
        row.forEach((s, l) => (meanScore[start + i]![l]! += s / files.length));
      });
    }
    prompt.dispose();
  }
  const predictions = votes.map((v, i) => {
    const counts = labels.map((_, l) => v.filter((x) => x === l).length);
    const top = Math.max(...counts);
    let best = -1;
    counts.forEach((c, l) => {
      if (c === top && (best < 0 || meanScore[i]![l]! > meanScore[i]![best]!)) best = l;
    });
    return best;
  });
  const header = [...table.columns, 'prediction', ...(files.length > 1 ? files.map((_, j) => `vote_${j + 1}`) : [])];
  const body = table.rows.map((r, i) => [...r, labels[predictions[i]!]!, ...(files.length > 1 ? votes[i]!.map((l) => labels[l]!) : [])]);
  await writeFile(out, Papa.unparse([header, ...body]) + '\n');
  process.stderr.write(`wrote ${rows.length} predictions to ${out}\n`);
  loaded.model.dispose();
}
