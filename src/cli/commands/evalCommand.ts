/**
 * `eval`: accuracy (rank classification) and mean token loss of one prompt, or of several prompts
 * and their ensemble (majority vote), on a labelled CSV. All prompts are scored in one batched pass.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluateEnsemble } from '../../core/eval/evaluateEnsemble';
import { encodeExamples, encodeTargets, taskFromExamples } from '../../core/task/taskFormat';
import { CliError } from '../cliError';
import { parse, required } from '../args';
import { HEADER_FLAG, headerMode, loadModel, readCsv, readPrompts, requireTokenizer } from '../inputs';

const USAGE = 'eval --model DIR --prompt FILE [--prompt FILE ...] --data CSV|TSV|JSONL [--text-column C] [--label-column C] [--header yes|no|auto] [--json]';

export async function evalCommand(argv: string[]): Promise<void> {
  const a = parse(argv, { model: { type: 'string' }, prompt: { type: 'string', multiple: true }, data: { type: 'string' }, 'text-column': { type: 'string' }, 'label-column': { type: 'string' }, json: { type: 'boolean' }, ...HEADER_FLAG }, USAGE);
  const modelDir = required(a.model, '--model', USAGE);
  const loaded = await loadModel(modelDir);
  const tokenizer = requireTokenizer(loaded, modelDir);
  const files = await readPrompts(a.prompt, loaded.config.dModel, USAGE);
  const data = await readCsv(required(a.data, '--data', USAGE), { textColumn: a['text-column'], labelColumn: a['label-column'], header: headerMode(a.header) });
  // Labels are the CSV's own label texts (each + </s>), unless the prompt file records which text
  // each of the data's labels was trained to write ("1" → "positive"); rows may carry either.
  // The template is the one the prompt was trained with.
  const { labels: texts, labelValues: values, template } = files[0]!.metadata;
  const mapped = texts && values?.length === texts.length ? { labels: values, targetTexts: texts } : undefined;
  const task = taskFromExamples(data.examples, { template: template || undefined, ...mapped });
  const byText = mapped && new Map(mapped.targetTexts.map((t, i) => [t, mapped.labels[i]!]));
  const examples = byText ? data.examples.map((e) => (mapped.labels.includes(e.label) ? e : { ...e, label: byText.get(e.label) ?? e.label })) : data.examples;
  const encoded = encodeExamples(tokenizer, task, examples, files[0]!.prompt.length, loaded.config.eosTokenId);
  if (encoded.truncated) process.stderr.write(`note: ${encoded.truncated} inputs were truncated to ${task.maxInputTokens} tokens (prompt included)\n`);
  const prompts = files.map((f) => tf.tensor2d(f.prompt.values, [f.prompt.length, f.prompt.width]));
  const r = await evaluateEnsemble(loaded.model, prompts, encoded.examples, encodeTargets(tokenizer, task), { batchSize: 32 });
  tf.dispose(prompts);
  loaded.model.dispose();
  const single = files.length === 1;
  const accuracy = single ? r.members[0]!.accuracy : r.ensemble.accuracy;
  const loss = r.members.reduce((s, m) => s + m.loss, 0) / r.members.length;
  if (a.json) {
    const extra = single ? {} : { prompts: r.members, mean_accuracy: r.meanAccuracy, best_accuracy: r.bestAccuracy, ensemble_accuracy: r.ensemble.accuracy };
    process.stdout.write(`${JSON.stringify({ accuracy, loss, n: r.n, ...extra })}\n`);
    return;
  }
  if (!single) {
    a.prompt!.forEach((p, k) => process.stdout.write(`prompt ${k + 1} (${p}): accuracy ${r.members[k]!.accuracy.toFixed(4)}  loss ${r.members[k]!.loss.toFixed(4)}\n`));
    process.stdout.write(`mean ${r.meanAccuracy.toFixed(4)}  best ${r.bestAccuracy.toFixed(4)}  ensemble (majority vote) ${r.ensemble.accuracy.toFixed(4)}\n`);
  }
  process.stdout.write(`accuracy ${accuracy.toFixed(4)}  loss ${loss.toFixed(4)}  n ${r.n}\n`);
  task.labels.forEach((label, i) => {
    const c = r.ensemble.metrics.perClass[i]!;
    const text = task.targetTexts[i] === label ? '' : ` (${task.targetTexts[i]})`;
    process.stdout.write(`  ${label}${text}: precision ${c.precision.toFixed(3)} recall ${c.recall.toFixed(3)} f1 ${c.f1.toFixed(3)} support ${c.support}\n`);
  });
}
