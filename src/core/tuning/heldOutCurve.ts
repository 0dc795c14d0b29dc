/**
 * Held-out accuracy against training steps: prompt tuning on one set of examples, rank
 * classification on another that training never sees, before the first step and every `evalEvery`
 * steps. Each point is the prompt as it is at that step: nothing is selected on the held-out set.
 * The learning test and `npm run bench:learn` use it.
 */
import { evaluateEnsemble } from '../eval/evaluateEnsemble';
import type { T5Model } from '../model/t5Model';
import type { LabeledExample, TaskSpec } from '../task/task';
import { encodeExamples, encodeTargets } from '../task/taskFormat';
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import { DEFAULT_TRAINER_CONFIG, PromptTrainer, type TrainerConfig } from './trainer';

export interface CurvePoint {
  step: number;
  /** Held-out accuracy: the majority vote's for an ensemble. */
  accuracy: number;
  /** Mean held-out token loss of the true labels (over prompts). */
  loss: number;
  /** Each prompt's held-out accuracy, for an ensemble. */
  members?: number[];
}

export interface HeldOutCurve {
  points: CurvePoint[];
  /** The last point: the prompt(s) after the last step. */
  final: CurvePoint;
  seconds: number;
  trainExamples: number;
  testExamples: number;
}

export async function heldOutCurve(
  model: T5Model,
  tokenizer: T5Tokenizer,
  data: { train: LabeledExample[]; test: LabeledExample[]; task: TaskSpec },
  config: Partial<TrainerConfig> & { steps: number; evalEvery: number },
  onPoint?: (p: CurvePoint) => void,
): Promise<HeldOutCurve> {
  const { task } = data;
  const promptLength = config.promptLength ?? DEFAULT_TRAINER_CONFIG.promptLength;
  const eos = model.config.eosTokenId;
  const train = encodeExamples(tokenizer, task, data.train, promptLength, eos).examples;
  const test = encodeExamples(tokenizer, task, data.test, promptLength, eos).examples;
  const targets = encodeTargets(tokenizer, task);
  const points: CurvePoint[] = [];
  const add = (p: CurvePoint) => {
    points.push(p);
    onPoint?.(p);
  };
  const started = performance.now();
  const trainer = new PromptTrainer(
    model,
    { train, validation: test, targets, labelTokenIds: targets.map((t) => t.slice(0, -1)) },
    // No early stopping and no checkpoints: the held-out set only watches.
    { ...config, patience: 0, checkpointEvery: 0 },
    {
      onValidation: (v) =>
        add({ step: v.step, accuracy: v.accuracy, loss: v.loss, members: v.members?.map((m) => m.accuracy) }),
    },
  );
  try {
    await trainer.initialise();
    const before = await evaluateEnsemble(model, trainer.promptVariables, test, targets, { batchSize: config.batchSize });
    const members = before.members.map((m) => m.accuracy);
    const loss = before.members.reduce((s, m) => s + m.loss, 0) / members.length;
    add({ step: 0, accuracy: members.length === 1 ? members[0]! : before.ensemble.accuracy, loss, members: members.length > 1 ? members : undefined });
    await trainer.train();
  } finally {
    trainer.dispose();
  }
  return { points, final: points[points.length - 1]!, seconds: (performance.now() - started) / 1000, trainExamples: train.length, testExamples: test.length };
}
