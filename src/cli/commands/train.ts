/** `train`: prompt-tune on a labelled CSV and write a .prompt.safetensors file. Checkpoints go beside it. */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { stratifiedSplit } from '../../core/data/stratifiedSplit';
import { writePromptFile } from '../../core/promptFile/promptFile';
import { decodeCheckpoint, encodeCheckpoint } from '../../core/storage/checkpointCodec';
import { encodeExamples, encodeTargets, taskFromExamples } from '../../core/task/taskFormat';
import { DEFAULT_LEARNING_RATE } from '../../core/tuning/optimizerFactory';
import { PROMPT_INITS } from '../../core/tuning/promptInit';
import { DEFAULT_TRAINER_CONFIG, PromptTrainer } from '../../core/tuning/trainer';
import { float, int, oneOf, parse, required } from '../args';
import { CliError } from '../cliError';
import { loadModel, readCsv, requireTokenizer } from '../inputs';

const USAGE =
  'train --model DIR --data CSV [--text-column C] [--label-column C] [--prompt-length N] [--init random|vocab|labels] ' +
  '[--optimizer adafactor|adam] [--lr X] [--steps N] [--batch-size N] [--seed N] [--eval-every N] [--validation-fraction F] ' +
  '[--epochs N] [--ensemble K] [--dropout F] [--template T] [--max-length N] [--label-text LABEL=TEXT ...] [--resume] --out FILE';

/** `--label-text 1=positive` trains label "1" to produce the text "positive". */
function labelTexts(pairs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new CliError(`--label-text expects LABEL=TEXT, got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** One file per ensemble member: x.prompt.safetensors → x-1.prompt.safetensors, x-2..., for K > 1. */
function memberFiles(out: string, members: number): string[] {
  if (members === 1) return [out];
  const match = /(\.prompt)?\.safetensors$/.exec(out);
  const stem = match ? out.slice(0, match.index) : out;
  const ext = match ? match[0] : '';
  return Array.from({ length: members }, (_, k) => `${stem}-${k + 1}${ext}`);
}

export async function train(argv: string[]): Promise<void> {
  const a = parse(
    argv,
    {
      model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' },
      'text-column': { type: 'string' }, 'label-column': { type: 'string' },
      'prompt-length': { type: 'string' }, init: { type: 'string' }, optimizer: { type: 'string' },
      lr: { type: 'string' }, steps: { type: 'string' }, 'batch-size': { type: 'string' }, seed: { type: 'string' },
      'eval-every': { type: 'string' }, 'validation-fraction': { type: 'string' }, dropout: { type: 'string' },
      template: { type: 'string' }, 'max-length': { type: 'string' }, resume: { type: 'boolean' },
      epochs: { type: 'string' }, 'label-text': { type: 'string', multiple: true }, ensemble: { type: 'string' },
    },
    USAGE,
  );
  const modelDir = required(a.model, '--model', USAGE);
  const out = required(a.out, '--out', USAGE);
  const optimizer = oneOf(a.optimizer, '--optimizer', ['adafactor', 'adam'] as const, 'adafactor');
  const config = {
    promptLength: int(a['prompt-length'], '--prompt-length', DEFAULT_TRAINER_CONFIG.promptLength, 1),
    init: oneOf(a.init, '--init', PROMPT_INITS, DEFAULT_TRAINER_CONFIG.init),
    optimizer,
    learningRate: float(a.lr, '--lr', DEFAULT_LEARNING_RATE[optimizer]),
    steps: int(a.steps, '--steps', DEFAULT_TRAINER_CONFIG.steps, 1),
    epochs: a.epochs === undefined ? undefined : int(a.epochs, '--epochs', 1, 1),
    ensembleSize: int(a.ensemble, '--ensemble', 1, 1),
    batchSize: int(a['batch-size'], '--batch-size', DEFAULT_TRAINER_CONFIG.batchSize, 1),
    seed: int(a.seed, '--seed', 0),
    evalEvery: int(a['eval-every'], '--eval-every', DEFAULT_TRAINER_CONFIG.evalEvery),
    dropoutRate: a.dropout === undefined ? undefined : Number(a.dropout),
  };
  const loaded = await loadModel(modelDir);
  const tokenizer = requireTokenizer(loaded, modelDir);
  const data = await readCsv(required(a.data, '--data', USAGE), { textColumn: a['text-column'], labelColumn: a['label-column'] });
  const task = taskFromExamples(data.examples, { template: a.template, maxInputTokens: a['max-length'] ? int(a['max-length'], '--max-length', 256, 8) : undefined, rename: labelTexts(a['label-text']) });
  const fraction = a['validation-fraction'] === undefined ? 0.1 : Number(a['validation-fraction']);
  const split = stratifiedSplit(data.examples, (e) => e.label, fraction, config.seed);
  const trainSet = encodeExamples(tokenizer, task, split.train, config.promptLength, loaded.config.eosTokenId);
  const validation = encodeExamples(tokenizer, task, split.validation, config.promptLength, loaded.config.eosTokenId);
  const targets = encodeTargets(tokenizer, task);
  const truncated = trainSet.truncated + validation.truncated;
  if (truncated > 0) process.stderr.write(`note: ${truncated} inputs were longer than ${task.maxInputTokens - config.promptLength} tokens and were truncated\n`);
  const steps = config.epochs ? Math.ceil((config.epochs * trainSet.examples.length) / config.batchSize) : config.steps;
  process.stderr.write(`${trainSet.examples.length} training and ${validation.examples.length} validation examples, labels: ${task.labels.join(', ')}\n`);

  const checkpointFile = `${out}.checkpoint`;
  const trainer = new PromptTrainer(
    loaded.model,
    { train: trainSet.examples, validation: validation.examples, targets, labelTokenIds: targets.map((t) => t.slice(0, -1)) },
    { ...config, dropoutRate: config.dropoutRate ?? loaded.config.dropoutRate, checkpointEvery: Math.max(1, Math.min(100, steps)) },
    {
      onProgress: (p) => process.stderr.write(`step ${p.step}/${steps} loss ${p.losses[p.losses.length - 1]!.toFixed(4)} ${p.examplesPerSecond.toFixed(1)} examples/s\n`),
      onValidation: (v) => {
        const members = v.members ? ` (prompts: ${v.members.map((m) => m.accuracy.toFixed(3)).join(', ')})` : '';
        process.stderr.write(`  validation at step ${v.step}: accuracy ${v.accuracy.toFixed(4)} loss ${v.loss.toFixed(4)}${members}${v.isBest ? ' (best)' : ''}\n`);
      },
      onCheckpoint: (c) => writeFile(checkpointFile, encodeCheckpoint(c)),
    },
  );
  if (a.resume && existsSync(checkpointFile)) {
    const checkpoint = decodeCheckpoint(new Uint8Array(await readFile(checkpointFile)), checkpointFile);
    process.stderr.write(`resuming from step ${checkpoint.step}\n`);
    await trainer.initialise(checkpoint);
  } else {
    await trainer.initialise();
  }
  const result = await trainer.train();
  trainer.dispose();
  const outputs = memberFiles(out, config.ensembleSize);
  for (const [k, file] of outputs.entries()) {
    const best = result.best[k];
    const metadata = {
      baseModel: modelDir,
      dModel: loaded.config.dModel,
      labels: task.targetTexts,
      template: task.template,
      init: config.init,
      steps: result.step,
      validation: best ? { accuracy: best.accuracy, loss: best.loss } : {},
      created: new Date().toISOString(),
    };
    await writeFile(file, writePromptFile({ length: result.promptShape[0], width: result.promptShape[1], values: result.prompts[k]! }, metadata));
  }
  process.stderr.write(`${result.message}; wrote ${outputs.join(', ')}\n`);
  loaded.model.dispose();
  if (result.reason === 'non-finite-loss') process.exitCode = 3;
}
