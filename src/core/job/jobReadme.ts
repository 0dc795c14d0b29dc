/** The job folder's README.md: what is in it, the commands, how the adapter comes back, and what was never run. */
import { formatParameters } from '../model/presets';
import { ACCELERATE_MULTI_GPU, ACCELERATE_ZERO3, DEEPSPEED_ZERO3 } from './clusterConfigs';
import type { JobRecipe } from './jobRecipe';

const list = (xs: string[]) => xs.map((x) => `- ${x}`).join('\n');

/** `dependencies`: the PEP 723 list at the top of train.py, so the install line says what the script does. */
export function jobReadme(recipe: JobRecipe, dependencies: string[]): string {
  const { model, settings, data, cluster, task } = recipe;
  const text = task.kind === 'text';
  const columns = ['text', 'label', ...(task.fields ?? [])].join(', ');
  const members = Number(settings.ensembleSize);
  const out = members === 1 ? '`adapter/`' : `\`adapter-1/\` … \`adapter-${members}/\``;
  const counts = [`${data.train.rows} training`, data.validation ? `${data.validation.rows} validation` : 'no validation', ...(data.test ? [`${data.test.rows} test`] : [])].join(', ');
  const hub = model.fromHub
    ? `\`${model.id}\` is a Hugging Face Hub id: train.py downloads it, and the adapter's \`base_model_name_or_path\` names it, so \`AutoPeftModelForSeq2SeqLM.from_pretrained("adapter")\` finds the base model by itself.`
    : `\`${model.id}\` is **not** a Hub id (the model came from a local folder). Set \`model.id\` and \`model.tokenizer\` in recipe.json to the model's folder on this machine before training; the adapter's \`base_model_name_or_path\` will be that path, so load it with \`PeftModel.from_pretrained(base_model, "adapter")\` rather than AutoPeftModelForSeq2SeqLM.`;
  // `uv run train.py` reads the script's inline dependencies; `accelerate launch` needs them in an environment first.
  const install = `uv venv && uv pip install ${dependencies.map((d) => `"${d}"`).join(' ')}${cluster.zero3 ? ' deepspeed' : ''}`;
  const launch = cluster.zero3
    ? [install, `.venv/bin/accelerate launch --config_file ${ACCELERATE_ZERO3} train.py${members > 1 ? `   # --member 1, then 2 … ${members}: one launch per prompt under DeepSpeed` : ''}`]
    : [install, `.venv/bin/accelerate launch --config_file ${ACCELERATE_MULTI_GPU} train.py`];
  return `# Prompt-tuning job: ${model.id}

Exported by Prompt Tuning Studio on ${recipe.created.slice(0, 10)}. It trains a soft prompt (Lester et al. 2021) for the
frozen \`${model.id}\` (${formatParameters(model.parameters)} parameters, d_model ${model.dModel}) with Hugging Face PEFT
under transformers' Trainer and Accelerate, on the studio's exact split (${counts} rows), and writes a
PEFT prompt-tuning adapter that the studio imports (Keep → Open prompt files, or the CLI's \`--prompt\`).

## Files

${list([
  '`train.py`: the whole job in one file. Its dependencies are declared inline (PEP 723), so `uv run train.py` installs them.',
  '`recipe.json`: every training setting (the studio\'s names, defaults and bounds), the model, the label texts, the template, the step count and the optimiser\'s constants.',
  `\`data/\`: the rows exactly as the studio split them (columns ${columns}; each file's sha256 is in recipe.json).${data.test ? ' test.csv is only scored at the end.' : ''}`,
  ...(recipe.warmStart ? [`\`${recipe.warmStart.file}\`: the prompt training starts from (${recipe.warmStart.length} × ${recipe.warmStart.width}).`] : []),
  `\`${ACCELERATE_MULTI_GPU}\`: Accelerate over the GPUs of one machine. \`${ACCELERATE_ZERO3}\` + \`${DEEPSPEED_ZERO3}\`: DeepSpeed ZeRO-3, which splits the frozen weights over the GPUs (for XL and XXL).`,
])}

## Commands

\`\`\`sh
python3 train.py --dry-run       # checks recipe, data and prompt and prints the plan; standard library only
uv run train.py                  # one GPU: uv installs what train.py declares (PEP 723)
# several GPUs (edit num_processes in the Accelerate file first):
${launch.join('\n')}
\`\`\`

Set \`num_processes\` in the Accelerate file to your number of GPUs; it must divide the batch size (${settings.batchSize}).
\`--max-per-device-batch N\` caps what one GPU holds and makes up the rest with gradient accumulation.
The adapter goes to ${out} (\`--out DIR\` to change), with \`metrics.json\` (each validation, the best, the test score).
This model's profile: ${cluster.precision}${cluster.zero3 ? ', ZeRO-3' : ''}${cluster.gradientCheckpointing ? ', gradient checkpointing' : ''}.

## The base model

${hub}

## How it matches the studio

${list([
  'The same template, label texts, truncation (inputs cut to max length − prompt length, ending in </s>), split and seed; the prompt goes in front of the encoder input only (`num_transformer_submodules` 1), as in the paper.',
  'The same initialisation: class labels, sampled vocabulary or uniform random, drawn from the studio\'s seeded random numbers (a port of its mulberry32), or the warm-start prompt.',
  'Adafactor as the paper sets it (lr constant, decay −0.8, update clipping 1.0, weight decay 1e-5, no parameter scaling, no momentum), through transformers\' Trainer (`optim="adafactor"`). One difference: transformers\' Adafactor factors the second moment of the [P, d_model] prompt into rows and columns, the studio keeps it whole.',
  text
    ? 'A text-to-text task: each row is trained to write its own answer; validation generates greedily (transformers\' Seq2SeqTrainer, as long as the longest target) and scores the answers by SQuAD exact match and token F1 with the studio\'s normalisation; the best prompt is kept by exact match, ties to the lower loss; early stopping after `patience` validations without improvement. The studio also validates after the last step; so does train.py.'
    : 'Validation by rank classification (every label text scored, the likeliest wins); the best prompt is kept by accuracy, ties to the lower loss; early stopping after `patience` validations without improvement. The studio also validates after the last step; so does train.py.',
  'Batches are grouped by length as in the studio, but in PyTorch\'s order, so the exact batches differ. Ensemble members are trained one after another (seed + k), not in one batched pass.',
  'train.py checks that the model\'s d_model is the recipe\'s: PEFT takes `token_dim` as given and does not check it.',
])}

## What was not run

Prompt Tuning Studio's tests check, on machines where PEFT cannot be installed, what can be checked there: these
files, \`python3 train.py --dry-run\`, that train.py compiles, that the recipe holds the studio's settings, and that
adapters shaped as PEFT writes them import into the studio. **The training itself (PEFT, transformers, Accelerate,
DeepSpeed) has never been run from an export.**
Run the dry run, then a few steps on one GPU (\`uv run train.py --max-steps 5\`) before a long job.
`;
}
