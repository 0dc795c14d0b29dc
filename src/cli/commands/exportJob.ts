/**
 * `export-job`: a ready-to-run Hugging Face PEFT prompt-tuning job for a GPU cluster: train.py,
 * recipe.json (every training setting, from the same flags as `train`), the exact train/validation
 * split under data/, Accelerate and DeepSpeed ZeRO-3 configurations and a README.
 */
import { readFile } from 'node:fs/promises';
import { readJson } from '../../core/model/loadT5';
import { nodeDirSource } from '../../core/io/nodeDirSource';
import { buildJob } from '../../core/job/jobFiles';
import { JobError } from '../../core/job/jobError';
import { resolveJobModel } from '../../core/job/jobModel';
import { parseT5Config } from '../../core/model/t5Config';
import { PromptFileError } from '../../core/promptFile/promptFileError';
import type { SoftPromptFile } from '../../core/promptFile/softPrompt';
import { SETTING_KEYS, withDefaults } from '../../core/settings/trainingSettings';
import { taskFromExamples } from '../../core/task/taskFormat';
import { extraTemplateFields } from '../../core/task/template';
import { prepareTrainingData } from '../../core/task/trainingData';
import { trainingSplit } from '../../core/task/trainingSplit';
import { T5Tokenizer } from '../../core/tokenizer/t5Tokenizer';
import { parse, required } from '../args';
import { CliError } from '../cliError';
import { dataNotes, HEADER_FLAG, HEADER_HELP, headerMode, readCsv, readPrompt } from '../inputs';
import { checkJobFolder, writeJobFolder } from '../jobFolder';
import { TASK_FLAG, taskKindFlag } from '../taskFlag';
import { joinDashValues, LABEL_TEXT_HELP, labelTexts } from '../labelTextFlags';
import { readSettings, settingOptions, settingsHelp } from '../settingsFlags';

const USAGE = 'export-job --model-id HUB_ID [--model DIR] --data CSV [--test CSV] [--prompt FILE] --out DIR [--text-column C] [--label-column C] [--task classify|text] [--label-text LABEL=TEXT ...] [training settings, --template T among them]';
const DETAILS = `  --model-id HUB_ID          the Hugging Face model the job trains, e.g. google/flan-t5-xl
  --model DIR                its folder here (config.json, tokenizer.json): needed for a model id this app does not know; also checks label texts and truncation with its tokenizer
  --data FILE                CSV, TSV or JSON Lines of texts and labels; split here exactly as train splits it
  --test FILE                held-out rows the job scores at the end
  --prompt FILE              start from this prompt (a prompt file or a PEFT adapter); its width must be the model's d_model
  --out DIR                  a new folder for the job (refused if it exists and is not empty)
  --text-column C / --label-column C   the data's columns (default: detected)
${HEADER_HELP}
  --task classify|text       classification (rank the label texts) or text to text (generate each answer, scored
                             by SQuAD exact match and F1); default: detected from the label column
${LABEL_TEXT_HELP}
training settings (as for train):
${settingsHelp(SETTING_KEYS)}`;

/** config.json and tokenizer.json of a model folder; the weights are never read. */
async function readModelFolder(dir: string) {
  const source = nodeDirSource(dir);
  const config = await readJson(source, 'config.json');
  if (config === undefined) throw new CliError(`--model ${dir} has no config.json; pass the model's folder`);
  const tokenizerJson = await readJson(source, 'tokenizer.json');
  const tokenizer = tokenizerJson === undefined ? undefined : T5Tokenizer.fromJson(tokenizerJson, await readJson(source, 'tokenizer_config.json'));
  return { config: parseT5Config(config), tokenizer };
}

/** Errors about what was asked for (JobError) read as the CLI's own one-line errors. */
async function asked<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof JobError) throw new CliError(e.message);
    throw e;
  }
}

export async function exportJob(argv: string[]): Promise<void> {
  const a = parse(
    joinDashValues(argv),
    {
      'model-id': { type: 'string' }, model: { type: 'string' }, data: { type: 'string' }, test: { type: 'string' }, prompt: { type: 'string' }, out: { type: 'string' },
      'text-column': { type: 'string' }, 'label-column': { type: 'string' }, ...TASK_FLAG, 'label-text': { type: 'string', multiple: true }, ...HEADER_FLAG,
      ...settingOptions(SETTING_KEYS),
    },
    USAGE,
    DETAILS,
  );
  const modelId = required(a['model-id'] as string | undefined, '--model-id', USAGE);
  const out = required(a.out as string | undefined, '--out', USAGE);
  const dataFile = required(a.data as string | undefined, '--data', USAGE);
  const given = readSettings(a, SETTING_KEYS);
  await checkJobFolder(out);

  const local = a.model ? await readModelFolder(a.model as string) : undefined;
  const model = await asked(() => resolveJobModel({ id: modelId, fromHub: true, config: local?.config }));
  let warmStart: SoftPromptFile | undefined;
  if (a.prompt) {
    warmStart = await readPrompt(a.prompt as string, model.dModel).catch((e: unknown) => {
      if (e instanceof PromptFileError && e.code === 'width-mismatch') throw new CliError(`--prompt ${a.prompt as string} does not fit ${model.id}: ${e.message}`);
      throw e;
    });
  }
  // A warm start sets the prompt length unless --prompt-length says otherwise (then the two must agree).
  const settings = withDefaults({ ...(warmStart && given.promptLength === undefined ? { promptLength: warmStart.prompt.length } : {}), ...given });

  // The template's other columns travel with the rows, into the job's data files.
  const columns = { textColumn: a['text-column'] as string | undefined, labelColumn: a['label-column'] as string | undefined, header: headerMode(a.header), fields: extraTemplateFields(settings.template) };
  const data = await readCsv(dataFile, columns);
  const test = a.test ? await readCsv(a.test as string, columns) : undefined;
  // A text task's job generates each answer and scores it as the studio does (exact match, F1).
  const kind = taskKindFlag(a.task, data.examples.map((e) => e.label));
  const rename = labelTexts(a['label-text'] as string[] | undefined);
  if (kind === 'text' && Object.keys(rename).length) throw new CliError('--label-text names what a class is trained to write; a text-to-text task writes each row\'s own answer, so leave it out');
  const taskOptions = { template: settings.template, maxInputTokens: settings.maxInputTokens, rename, kind };
  const split = trainingSplit(data.examples, { ...settings, kind });
  if (local?.tokenizer) {
    if (kind === 'classify') dataNotes(data.examples, taskFromExamples(data.examples, taskOptions), { validationFraction: settings.validationFraction, seed: settings.seed, rename, tokenizer: local.tokenizer });
    const { truncated } = prepareTrainingData(local.tokenizer, data.examples, { task: taskOptions, validationFraction: settings.validationFraction, seed: settings.seed, promptLength: settings.promptLength, eosTokenId: local.config.eosTokenId });
    if (truncated > 0) process.stderr.write(`note: ${truncated} inputs are longer than ${settings.maxInputTokens - settings.promptLength} tokens and will be truncated\n`);
  } else {
    process.stderr.write(`note: without --model DIR the label texts and input lengths were not checked with ${model.id}'s tokenizer\n`);
  }

  const script = await readFile(new URL('../../core/job/train.py', import.meta.url), 'utf8');
  const job = await asked(() => buildJob({ model, settings, task: taskFromExamples(data.examples, taskOptions), split, test: test?.examples, warmStart, script }));
  await writeJobFolder(out, job.files);
  const { recipe } = job;
  process.stderr.write(
    `${recipe.data.train.rows} training and ${recipe.data.validation?.rows ?? 0} validation rows, ${recipe.steps} steps on ${model.id} (${recipe.cluster.zero3 ? 'DeepSpeed ZeRO-3, bf16' : recipe.cluster.precision}); wrote ${job.files.length} files to ${out}\n` +
      `next: cd ${out} && python3 train.py --dry-run   (then see README.md)\n`,
  );
}
