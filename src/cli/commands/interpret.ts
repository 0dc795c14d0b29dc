/**
 * `interpret`: what a prompt is, beyond its nearest words. Per prompt token: its neighbours with
 * their cosine, its norm and where that falls among the vocabulary's norms; the prompt on the
 * vocabulary's PCA map; its drift from the initial prompt when the file records how it started;
 * and with --example, the share of encoder attention on the prompt and each token's importance.
 */
import * as tf from '@tensorflow/tfjs';
import { normBand } from '../../core/interpret/embeddingNorms';
import { readExample, type ExampleReading } from '../../core/interpret/exampleReading';
import { initialSourceOf, rebuildInitialPrompt, whyNoInitialPrompt } from '../../core/interpret/initialPrompt';
import { DEFAULT_MAP_SAMPLE, interpretPrompt, type PromptInterpretation } from '../../core/interpret/interpretPrompt';
import { taskFromExamples } from '../../core/task/taskFormat';
import { int, parse, required } from '../args';
import { CliError } from '../cliError';
import { loadModel, readPrompt, requireTokenizer } from '../inputs';

const USAGE = 'interpret --model DIR --prompt FILE [--k 5] [--sample N] [--example TEXT] [--json]';
const DETAILS = `  --k N            nearest vocabulary tokens per prompt token (default 5)
  --sample N       vocabulary points on the PCA map in --json (default ${DEFAULT_MAP_SAMPLE})
  --example TEXT   also: the share of encoder attention on the prompt per layer, and each prompt
                   token's importance (score change of the predicted label when it is removed)
  --json           one JSON object: neighbours, norms, vocabularyNorms, projection, drift, example`;

export async function interpret(argv: string[]): Promise<void> {
  const a = parse(argv, { model: { type: 'string' }, prompt: { type: 'string' }, k: { type: 'string' }, sample: { type: 'string' }, example: { type: 'string' }, json: { type: 'boolean' } }, USAGE, DETAILS);
  const modelDir = required(a.model, '--model', USAGE);
  const loaded = await loadModel(modelDir);
  try {
    const file = await readPrompt(required(a.prompt, '--prompt', USAGE), loaded.config.dModel);
    const k = int(a.k, '--k', 5, 1);
    const sample = int(a.sample, '--sample', DEFAULT_MAP_SAMPLE, 0);
    const source = initialSourceOf(file.metadata);
    const noInitial = whyNoInitialPrompt(source, loaded.tokenizer);
    const initial = await rebuildInitialPrompt(source, file.prompt.length, loaded.model.weights.shared, loaded.tokenizer);
    const result = await interpretPrompt(loaded, file.prompt, { k, sample, labels: file.metadata.labels, initial });
    let example: ExampleReading | undefined;
    if (a.example !== undefined) {
      const labels = file.metadata.labels ?? [];
      if (labels.length < 2) throw new CliError('--example needs a prompt file that names its labels (this one does not), to know what the prompt predicts');
      const tokenizer = requireTokenizer(loaded, modelDir);
      const prompt = tf.tensor2d(file.prompt.values, [file.prompt.length, file.prompt.width]);
      try {
        example = await readExample(loaded, tokenizer, prompt, taskFromExamples([], { labels, template: file.metadata.template || undefined }), a.example);
      } finally {
        prompt.dispose();
      }
    }
    if (a.json) {
      process.stdout.write(`${JSON.stringify({ ...result, ...(noInitial ? { driftUnavailable: noInitial } : {}), ...(example ? { example } : {}) })}\n`);
      return;
    }
    printText(result, noInitial, example);
  } finally {
    loaded.model.dispose();
  }
}

const f = (x: number, digits = 3) => x.toFixed(digits);

function printText(r: PromptInterpretation, noInitial: string | undefined, example: ExampleReading | undefined): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const v = r.vocabularyNorms;
  out(`vocabulary embedding norms: min ${f(v.min)}, median ${f(v.median)}, max ${f(v.max)}`);
  out('token  norm (vocabulary percentile)  nearest tokens (cosine)');
  r.neighbours.forEach((row, i) => {
    const n = r.norms[i]!;
    const band = normBand(n);
    const flag = band === 'within' ? '' : ` ${band} the vocabulary's norms`;
    out(`P${String(i + 1).padEnd(4)} ${f(n.norm)} (${n.vocabPercentile.toFixed(1)}%)${flag}  ${row.map((x) => `${x.token} (${f(x.similarity)})`).join('  ')}`);
  });
  out('note: nearest neighbours of a soft prompt can mislead: prompts that score alike can sit near arbitrary words (Khashabi et al. 2022, "Prompt Waywardness").');
  out(`PCA of the vocabulary: the two axes explain ${(100 * r.projection.explained[0]!).toFixed(1)}% and ${(100 * (r.projection.explained[1] ?? 0)).toFixed(1)}% of its variance`);
  r.projection.prompt.forEach(([x, y], i) => out(`  P${i + 1} at (${f(x)}, ${f(y)})`));
  r.projection.labels.forEach((l) => out(`  label "${l.text}" at (${f(l.x)}, ${f(l.y)})`));
  if (r.drift) {
    out('drift from the initial prompt: cosine to the initial vector, norm initial → now');
    r.drift.cosine.forEach((c, i) => out(`  P${i + 1} cosine ${f(c)}  norm ${f(r.drift!.initialNorm[i]!)} → ${f(r.drift!.norm[i]!)}`));
  } else if (noInitial) {
    out(`drift: not shown, ${noInitial}`);
  }
  if (example) {
    out(`example: predicted "${example.labels[example.predicted]}" (scores ${example.labels.map((l, i) => `${l} ${f(example.labelScores[i]!)}`).join(', ')})`);
    out(`encoder self-attention on the prompt (uniform would give ${(100 * example.attention.uniformShare).toFixed(1)}%):`);
    example.attention.layers.forEach((l) => out(`  layer ${l.layer + 1}: ${(100 * l.share).toFixed(1)}% (from the text's tokens: ${(100 * l.fromText).toFixed(1)}%)`));
    out('prompt token importance (score drop of the predicted label without the token):');
    example.importance.forEach((x, i) => out(`  P${i + 1} ${f(x, 4)}${example.predictedWithout[i] !== example.predicted ? `  (without it: "${example.labels[example.predictedWithout[i]!]}")` : ''}`));
  }
}
