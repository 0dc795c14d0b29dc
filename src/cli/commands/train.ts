/** `train`: prompt-tune on a labelled CSV and write a .prompt.safetensors file. Checkpoints go beside it. */
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { nodeDirSource } from '../../core/io/nodeDirSource';
import { budgetFor } from '../../core/model/deviceBudget';
import { readJson } from '../../core/model/loadT5';
import { checkBeforeStart } from '../../core/model/startMemoryCheck';
import { parseT5Config } from '../../core/model/t5Config';
import { parameterCount } from '../../core/model/t5Weights';
import { writePromptFile } from '../../core/promptFile/promptFile';
import { trainedPromptMetadata } from '../../core/promptFile/promptMetadata';
import { withDefaults, type SettingKey } from '../../core/settings/trainingSettings';
import { decodeCheckpoint, encodeCheckpoint } from '../../core/storage/checkpointCodec';
import { extraTemplateFields } from '../../core/task/template';
import { prepareTrainingData } from '../../core/task/trainingData';
import { PromptTrainer } from '../../core/tuning/trainer';
import { parse, required } from '../args';
import { CliError } from '../cliError';
import { joinDashValues, LABEL_TEXT_HELP, labelTexts } from '../labelTextFlags';
import { dataNotes, HEADER_FLAG, HEADER_HELP, headerMode, loadModel, readCsv, requireTokenizer } from '../inputs';
import { readSettings, settingOptions, settingsHelp } from '../settingsFlags';
import { taskKindFlag } from '../taskFlag';

/** The training settings this command takes as flags (their names, defaults and bounds: the settings contract). */
const SETTINGS: SettingKey[] = ['promptLength', 'init', 'optimizer', 'learningRate', 'steps', 'epochs', 'batchSize', 'seed', 'evalEvery', 'patience', 'validationFraction', 'dropoutRate', 'ensembleSize', 'maxInputTokens'];

const USAGE = 'train --model DIR --data CSV --out FILE [--text-column C] [--label-column C] [--template T] [--task classify|text] [--label-text LABEL=TEXT ...] [--resume] [--ignore-memory-check] [training settings]';
const DETAILS = `  --data FILE                CSV, TSV or JSON Lines (.jsonl) of texts and labels
  --text-column C / --label-column C   the CSV's columns or the JSON keys (default: detected)
${HEADER_HELP}
  --template T               input template; {text} is replaced by each example's text, {name} by column name
                             (several fields: "question: {question} context: {text}")
  --task classify|text       classification (a few labels) or text-to-text (free-text targets, generated);
                             default: detected from the label column
${LABEL_TEXT_HELP}
  --resume                   continue from FILE.checkpoint when it exists
  --ignore-memory-check      train even when the memory estimate says the run will not fit (it may then fail mid-run)
training settings:
${settingsHelp(SETTINGS)}`;

/** One file per ensemble member: x.prompt.safetensors → x-1.prompt.safetensors, x-2..., for K > 1. */
function memberFiles(out: string, members: number): string[] {
  if (members === 1) return [out];
  const match = /(\.prompt)?\.safetensors$/.exec(out);
  const stem = match ? out.slice(0, match.index) : out;
  const ext = match ? match[0] : '';
  return Array.from({ length: members }, (_, k) => `${stem}-${k + 1}${ext}`);
}

/**
 * Before the weights load: the run's memory (from the folder's config.json and the settings, the
 * longest inputs assumed) against the backend's budget (WebAssembly: ~2.6 GB of tensors; the CPU
 * backend has no visible bound, so it is not checked). Refused with the numbers unless overridden.
 */
async function checkMemory(modelDir: string, settings: ReturnType<typeof withDefaults>, ignore: boolean): Promise<void> {
  const budget = budgetFor(tf.getBackend());
  if (!budget || !(await stat(modelDir).catch(() => undefined))?.isDirectory()) return; // loadModel says what is wrong with the folder
  const raw = await readJson(nodeDirSource(modelDir), 'config.json');
  if (raw === undefined) return;
  const config = parseT5Config(raw);
  const elsewhere = ignore ? 'Training anyway (--ignore-memory-check).' : 'Or train it on a GPU: export-job writes a ready-to-run job for this data and settings. --ignore-memory-check trains anyway.';
  const check = checkBeforeStart(config, parameterCount(config), settings, budget, elsewhere);
  if (check.status === 'refused' && !ignore) throw new CliError(check.message);
  if (check.status === 'refused') process.stderr.write(`warning: ${check.message.replace(/^Not started: t/, 'T')}\n`);
  if (check.status === 'close') process.stderr.write(`warning: ${check.message}\n`);
}

export async function train(argv: string[]): Promise<void> {
  const a = parse(
    joinDashValues(argv),
    {
      model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' },
      'text-column': { type: 'string' }, 'label-column': { type: 'string' }, template: { type: 'string' }, task: { type: 'string' },
      'label-text': { type: 'string', multiple: true }, resume: { type: 'boolean' }, 'ignore-memory-check': { type: 'boolean' }, ...HEADER_FLAG,
      ...settingOptions(SETTINGS),
    },
    USAGE,
    DETAILS,
  );
  const modelDir = required(a.model, '--model', USAGE);
  const out = required(a.out, '--out', USAGE);
  const given = readSettings(a, SETTINGS);
  const settings = withDefaults(given);
  const rename = labelTexts(a['label-text'] as string[] | undefined);
  await checkMemory(modelDir, settings, a['ignore-memory-check'] === true);
  const loaded = await loadModel(modelDir);
  const tokenizer = requireTokenizer(loaded, modelDir);
  const template = a.template as string | undefined;
  const data = await readCsv(required(a.data, '--data', USAGE), { textColumn: a['text-column'] as string | undefined, labelColumn: a['label-column'] as string | undefined, header: headerMode(a.header), fields: extraTemplateFields(template) });
  const kind = taskKindFlag(a.task, data.examples.map((e) => e.label));
  const { task, data: prepared, truncated } = prepareTrainingData(tokenizer, data.examples, {
    task: { template, maxInputTokens: settings.maxInputTokens, rename, kind },
    validationFraction: settings.validationFraction,
    seed: settings.seed,
    promptLength: settings.promptLength,
    eosTokenId: loaded.config.eosTokenId,
  });
  // Label-set checks (imbalance, shared first tokens, codes) mean nothing for free-text targets.
  if (kind === 'classify') dataNotes(data.examples, task, { validationFraction: settings.validationFraction, seed: settings.seed, rename, tokenizer });
  if (truncated > 0) process.stderr.write(`note: ${truncated} inputs were longer than ${task.maxInputTokens - settings.promptLength} tokens and were truncated\n`);
  const steps = settings.epochs ? Math.ceil((settings.epochs * prepared.train.length) / settings.batchSize) : settings.steps;
  const what = kind === 'text' ? `a text-to-text task with ${task.labels.length} distinct targets` : `labels: ${task.labels.join(', ')}`;
  process.stderr.write(`${prepared.train.length} training and ${prepared.validation.length} validation examples, ${what}\n`);

  const checkpointFile = `${out}.checkpoint`;
  const trainer = new PromptTrainer(
    loaded.model,
    prepared,
    { ...settings, checkpointEvery: Math.max(1, Math.min(100, steps)) },
    {
      onProgress: (p) => process.stderr.write(`step ${p.step}/${steps} loss ${p.losses[p.losses.length - 1]!.toFixed(4)} ${p.examplesPerSecond.toFixed(1)} examples/s\n`),
      onValidation: (v) => {
        const members = v.members ? ` (prompts: ${v.members.map((m) => m.accuracy.toFixed(3)).join(', ')})` : '';
        const f1 = v.f1 === undefined ? '' : ` f1 ${v.f1.toFixed(4)}`;
        process.stderr.write(`  validation at step ${v.step}: ${kind === 'text' ? 'exact match' : 'accuracy'} ${v.accuracy.toFixed(4)}${f1} loss ${v.loss.toFixed(4)}${members}${v.isBest ? ' (best)' : ''}\n`);
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
  const outputs = memberFiles(out, settings.ensembleSize);
  for (const [k, file] of outputs.entries()) {
    const metadata = trainedPromptMetadata({ baseModel: modelDir, dModel: loaded.config.dModel, task, init: settings.init, initSeed: settings.seed + k, steps: result.step, validation: result.best[k] });
    await writeFile(file, writePromptFile({ length: result.promptShape[0], width: result.promptShape[1], values: result.prompts[k]! }, metadata));
  }
  process.stderr.write(`${result.message}; wrote ${outputs.join(', ')}\n`);
  loaded.model.dispose();
  if (result.reason === 'non-finite-loss') process.exitCode = 3;
}
