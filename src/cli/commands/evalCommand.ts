/**
 * `eval`: accuracy (rank classification) and mean token loss of one prompt, or of several prompts
 * and their ensemble (majority vote), on a labelled CSV. All prompts are scored in one batched pass.
 * On a text-to-text task, exact match and F1 of generated answers (evalText). With `--no-prompt`,
 * the prompt-design baseline: the frozen model with a text template and no soft prompt.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluate } from '../../core/eval/evaluate';
import { evaluateEnsemble } from '../../core/eval/evaluateEnsemble';
import { DEFAULT_MAX_ANSWER_TOKENS } from '../../core/eval/predictText';
import type { PromptMetadata } from '../../core/promptFile/softPrompt';
import { rowsInTaskLabels } from '../../core/task/labelMatching';
import { extraTemplateFields } from '../../core/task/template';
import { encodeExamples, encodeTargets, taskFromExamples } from '../../core/task/taskFormat';
import { CliError } from '../cliError';
import { int, parse, required } from '../args';
import { HEADER_FLAG, headerMode, loadModel, readCsv, readPrompts, requireTokenizer } from '../inputs';
import { joinDashValues, labelTexts } from '../labelTextFlags';
import { TASK_FLAG, taskKindFlag } from '../taskFlag';
import { evalText } from './evalText';

const USAGE =
  'eval --model DIR (--prompt FILE [--prompt FILE ...] | --no-prompt --template T [--label-text LABEL=TEXT ...]) --data CSV|TSV|JSONL [--task classify|text] [--max-answer-length N] [--text-column C] [--label-column C] [--header yes|no|auto] [--json]';

export async function evalCommand(argv: string[]): Promise<void> {
  const a = parse(
    joinDashValues(argv),
    {
      model: { type: 'string' }, prompt: { type: 'string', multiple: true }, 'no-prompt': { type: 'boolean' }, template: { type: 'string' }, 'label-text': { type: 'string', multiple: true },
      data: { type: 'string' }, 'text-column': { type: 'string' }, 'label-column': { type: 'string' }, json: { type: 'boolean' }, 'max-answer-length': { type: 'string' }, ...TASK_FLAG, ...HEADER_FLAG,
    },
    USAGE,
  );
  const noPrompt = a['no-prompt'] === true;
  if (noPrompt && a.prompt?.length) throw new CliError(`--no-prompt evaluates the model without a soft prompt; leave out --prompt\nusage: ${USAGE}`);
  if (!noPrompt && a['label-text']?.length) throw new CliError('--label-text is for --no-prompt; a prompt file records its own label texts');
  const maxNewTokens = int(a['max-answer-length'], '--max-answer-length', DEFAULT_MAX_ANSWER_TOKENS, 1);
  const modelDir = required(a.model, '--model', USAGE);
  const loaded = await loadModel(modelDir);
  const tokenizer = requireTokenizer(loaded, modelDir);
  const files = noPrompt ? [] : await readPrompts(a.prompt, loaded.config.dModel, USAGE);
  const recorded: Partial<PromptMetadata> = files[0]?.metadata ?? {};
  // The template is the one the prompt was trained with, unless given (the baseline's is always given).
  const template = a.template ?? (recorded.template || undefined);
  const data = await readCsv(required(a.data, '--data', USAGE), { textColumn: a['text-column'], labelColumn: a['label-column'], header: headerMode(a.header), fields: extraTemplateFields(template) });
  // A prompt file without a task type predates text tasks: classification.
  const kind = taskKindFlag(a.task, data.examples.map((e) => e.label), noPrompt ? undefined : (recorded.task ?? 'classify'));
  const prompts = files.map((f) => tf.tensor2d(f.prompt.values, [f.prompt.length, f.prompt.width]));
  try {
    if (kind === 'text') {
      const task = taskFromExamples([], { template });
      await evalText({ model: loaded.model, tokenizer, eosTokenId: loaded.config.eosTokenId, task, rows: data.examples, prompts, names: a.prompt ?? [], maxNewTokens, json: a.json === true });
      return;
    }
    // Labels are the CSV's own label texts (each + </s>), unless the prompt file records which text
    // each of the data's labels was trained to write ("1" → "positive"); rows may carry either.
    const { labels: texts, labelValues: values } = recorded;
    const mapped = texts && values?.length === texts.length ? { labels: values, targetTexts: texts } : undefined;
    const task = taskFromExamples(data.examples, { template, ...mapped, rename: labelTexts(a['label-text']) });
    const examples = mapped ? rowsInTaskLabels(task, data.examples) : data.examples;
    const encoded = encodeExamples(tokenizer, task, examples, files[0]?.prompt.length ?? 0, loaded.config.eosTokenId);
    if (encoded.truncated) process.stderr.write(`note: ${encoded.truncated} inputs were truncated to ${task.maxInputTokens} tokens (prompt included)\n`);
    const targets = encodeTargets(tokenizer, task);
    const r = noPrompt ? baselineAsEnsemble(await evaluate(loaded.model, undefined, encoded.examples, targets, { batchSize: 32 })) : await evaluateEnsemble(loaded.model, prompts, encoded.examples, targets, { batchSize: 32 });
    const single = files.length <= 1;
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
    process.stdout.write(`${noPrompt ? 'prompt design (no soft prompt) ' : ''}accuracy ${accuracy.toFixed(4)}  loss ${loss.toFixed(4)}  n ${r.n}\n`);
    task.labels.forEach((label, i) => {
      const c = r.ensemble.metrics.perClass[i]!;
      const text = task.targetTexts[i] === label ? '' : ` (${task.targetTexts[i]})`;
      process.stdout.write(`  ${label}${text}: precision ${c.precision.toFixed(3)} recall ${c.recall.toFixed(3)} f1 ${c.f1.toFixed(3)} support ${c.support}\n`);
    });
  } finally {
    tf.dispose(prompts);
    loaded.model.dispose();
  }
}

/** The frozen model's own result in the ensemble report's shape (one member, no vote). */
function baselineAsEnsemble(r: Awaited<ReturnType<typeof evaluate>>) {
  return { n: r.n, members: [{ accuracy: r.accuracy, loss: r.loss }], meanAccuracy: r.accuracy, bestAccuracy: r.accuracy, ensemble: { accuracy: r.accuracy, metrics: r.metrics } };
}
