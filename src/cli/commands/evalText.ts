/**
 * `eval` on a text-to-text task: answers generated under every prompt (or none, the prompt-design
 * baseline) in one batched pass per chunk, scored by exact match and token F1, printed per prompt,
 * as mean, best, the ensemble's vote and its most confident answer, with a few examples; JSON with --json.
 */
import type * as tf from '@tensorflow/tfjs';
import { evaluateText } from '../../core/eval/evaluateText';
import type { TextScores } from '../../core/eval/textMetrics';
import type { T5Model } from '../../core/model/t5Model';
import type { LabeledExample, TaskSpec } from '../../core/task/task';
import { encodeTextExamples } from '../../core/task/textExamples';
import type { T5Tokenizer } from '../../core/tokenizer/t5Tokenizer';

export interface TextEvalInput {
  model: T5Model;
  tokenizer: T5Tokenizer;
  eosTokenId: number;
  task: Pick<TaskSpec, 'template' | 'maxInputTokens'>;
  rows: LabeledExample[];
  prompts: tf.Tensor2D[];
  /** Names for the prompts in the report (files), empty for the baseline. */
  names: string[];
  maxNewTokens: number;
  json: boolean;
}

const pct = (x: number) => x.toFixed(4);

export async function evalText(o: TextEvalInput): Promise<void> {
  const promptLength = o.prompts[0]?.shape[0] ?? 0;
  const encoded = encodeTextExamples(o.tokenizer, o.task, o.rows, promptLength, o.eosTokenId);
  if (encoded.truncated) process.stderr.write(`note: ${encoded.truncated} inputs were truncated to ${o.task.maxInputTokens} tokens (prompt included)\n`);
  const r = await evaluateText(o.model, (ids) => o.tokenizer.decode(ids), o.prompts, encoded.examples, { maxNewTokens: o.maxNewTokens, examplesShown: 5 });
  for (const note of r.notes) process.stderr.write(`note: ${note}\n`);
  const single = o.prompts.length <= 1;
  if (o.json) {
    const scores = (s: TextScores) => ({ exact_match: s.exactMatch, f1: s.f1 });
    const several = single ? {} : { prompts: r.members.map(scores), mean: scores(r.mean), best: scores(r.best), vote: scores(r.ensemble), most_confident: scores(r.confident) };
    const examples = r.examples.map((e) => ({ input: e.input, target: e.target, generated: e.generated, ...(e.members ? { members: e.members } : {}) }));
    process.stdout.write(`${JSON.stringify({ task: 'text', exact_match: r.ensemble.exactMatch, f1: r.ensemble.f1, n: r.n, ...several, examples, long_targets: r.longTargets })}\n`);
    return;
  }
  if (!single) {
    o.names.forEach((name, k) => process.stdout.write(`prompt ${k + 1} (${name}): exact match ${pct(r.members[k]!.exactMatch)}  f1 ${pct(r.members[k]!.f1)}\n`));
    process.stdout.write(`mean exact match ${pct(r.mean.exactMatch)} f1 ${pct(r.mean.f1)}  best ${pct(r.best.exactMatch)} f1 ${pct(r.best.f1)}  ensemble (vote) ${pct(r.ensemble.exactMatch)} f1 ${pct(r.ensemble.f1)}  most confident ${pct(r.confident.exactMatch)} f1 ${pct(r.confident.f1)}\n`);
  }
  process.stdout.write(`exact match ${pct(r.ensemble.exactMatch)}  f1 ${pct(r.ensemble.f1)}  n ${r.n}\n`);
  for (const e of r.examples) process.stdout.write(`  input: ${clip(e.input)}\n    target: ${clip(e.target)}\n    generated: ${clip(e.generated)}\n`);
}

const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 117)}...` : s).replace(/\s+/g, ' ');
