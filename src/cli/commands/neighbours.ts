/** `neighbours`: the k vocabulary tokens nearest (cosine) to each prompt token. */
import * as tf from '@tensorflow/tfjs';
import { nearestNeighbours, withTokens } from '../../core/interpret/nearestNeighbours';
import { int, parse, required } from '../args';
import { loadModel, readPrompt } from '../inputs';

const USAGE = 'neighbours --model DIR --prompt FILE [--k N] [--json]';

export async function neighbours(argv: string[]): Promise<void> {
  const a = parse(argv, { model: { type: 'string' }, prompt: { type: 'string' }, k: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const loaded = await loadModel(required(a.model, '--model', USAGE));
  const file = await readPrompt(required(a.prompt, '--prompt', USAGE), loaded.config.dModel);
  const k = int(a.k, '--k', 5, 1);
  const prompt = tf.tensor2d(file.prompt.values, [file.prompt.length, file.prompt.width]);
  const result = withTokens(await nearestNeighbours(prompt, loaded.model.weights.shared, k), (id) => loaded.tokenizer?.token(id) ?? `#${id}`);
  prompt.dispose();
  loaded.model.dispose();
  if (a.json) {
    process.stdout.write(`${JSON.stringify({ neighbours: result })}\n`);
    return;
  }
  result.forEach((row, i) => process.stdout.write(`${String(i).padStart(3)}  ${row.map((n) => `${n.token} (${n.similarity.toFixed(3)})`).join('  ')}\n`));
}
