/** `eval`: accuracy (rank classification) and mean token loss of a prompt on a labelled CSV. */
import * as tf from '@tensorflow/tfjs';
import { evaluate } from '../../core/eval/evaluate';
import { encodeExamples, encodeTargets, taskFromExamples } from '../../core/task/taskFormat';
import { parse, required } from '../args';
import { loadModel, readCsv, readPrompt, requireTokenizer } from '../inputs';

const USAGE = 'eval --model DIR --prompt FILE --data CSV [--text-column C] [--label-column C] [--json]';

export async function evalCommand(argv: string[]): Promise<void> {
  const a = parse(argv, { model: { type: 'string' }, prompt: { type: 'string' }, data: { type: 'string' }, 'text-column': { type: 'string' }, 'label-column': { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const modelDir = required(a.model, '--model', USAGE);
  const loaded = await loadModel(modelDir);
  const tokenizer = requireTokenizer(loaded, modelDir);
  const file = await readPrompt(required(a.prompt, '--prompt', USAGE), loaded.config.dModel);
  const data = await readCsv(required(a.data, '--data', USAGE), { textColumn: a['text-column'], labelColumn: a['label-column'] });
  // Labels are the CSV's own label texts (each + </s>); the template is the one the prompt was trained with.
  const task = taskFromExamples(data.examples, { template: file.metadata.template || undefined });
  const encoded = encodeExamples(tokenizer, task, data.examples, file.prompt.length, loaded.config.eosTokenId);
  if (encoded.truncated) process.stderr.write(`note: ${encoded.truncated} inputs were truncated to ${task.maxInputTokens} tokens (prompt included)
`);
  const prompt = tf.tensor2d(file.prompt.values, [file.prompt.length, file.prompt.width]);
  const r = await evaluate(loaded.model, prompt, encoded.examples, encodeTargets(tokenizer, task), { batchSize: 32 });
  prompt.dispose();
  loaded.model.dispose();
  if (a.json) {
    process.stdout.write(`${JSON.stringify({ accuracy: r.accuracy, loss: r.loss, n: r.n })}\n`);
    return;
  }
  process.stdout.write(`accuracy ${r.accuracy.toFixed(4)}  loss ${r.loss.toFixed(4)}  n ${r.n}\n`);
  task.labels.forEach((label, i) => {
    const c = r.metrics.perClass[i]!;
    process.stdout.write(`  ${label}: precision ${c.precision.toFixed(3)} recall ${c.recall.toFixed(3)} f1 ${c.f1.toFixed(3)} support ${c.support}\n`);
  });
}
