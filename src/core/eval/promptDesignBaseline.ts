/**
 * The paper's "prompt design" baseline: the frozen model with a hand-written text template and no
 * soft prompt ("{text} Is this review positive or negative?"). Classification is ranked over the
 * label texts; a text task is generated and scored by exact match. What prompt tuning must beat.
 */
import type { T5Model } from '../model/t5Model';
import type { LabeledExample, TaskSpec } from '../task/task';
import { encodeExamples, encodeTargets } from '../task/taskFormat';
import { encodeTextExamples } from '../task/textExamples';
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import { evaluate } from './evaluate';
import { evaluateText } from './evaluateText';

export interface BaselineScore {
  kind: 'classify' | 'text';
  /** Accuracy (classification) or exact match (text), 0..1. */
  score: number;
  /** Token F1, for a text task. */
  f1?: number;
  n: number;
  template: string;
}

export async function promptDesignBaseline(model: T5Model, tokenizer: T5Tokenizer, task: TaskSpec, rows: LabeledExample[], options: { signal?: AbortSignal; maxNewTokens?: number } = {}): Promise<BaselineScore> {
  const eos = model.config.eosTokenId;
  if (task.kind === 'text') {
    const { examples } = encodeTextExamples(tokenizer, task, rows, 0, eos);
    const r = await evaluateText(model, (ids) => tokenizer.decode(ids), [], examples, { ...options, examplesShown: 0 });
    return { kind: 'text', score: r.ensemble.exactMatch, f1: r.ensemble.f1, n: r.n, template: task.template };
  }
  const encoded = encodeExamples(tokenizer, task, rows, 0, eos);
  const r = await evaluate(model, undefined, encoded.examples, encodeTargets(tokenizer, task));
  return { kind: 'classify', score: r.accuracy, n: r.n, template: task.template };
}
