/**
 * A training checkpoint as one safetensors file: the prompt, the best prompt and the optimiser
 * state as tensors, the rest as metadata. Used for checkpoint files in Node (the CLI).
 */
import { parseSafetensors, writeSafetensors, type TensorToWrite } from '../io/safetensors';
import type { TrainingCheckpoint } from '../tuning/trainer';

const STATE_PREFIX = 'optimizer/';

export function encodeCheckpoint(c: TrainingCheckpoint): Uint8Array {
  const tensors: Record<string, TensorToWrite> = { prompt: { shape: c.promptShape, data: c.prompt } };
  if (c.best) tensors.best_prompt = { shape: c.promptShape, data: c.best.prompt };
  for (const s of c.optimizerState) tensors[STATE_PREFIX + s.name] = { shape: s.shape, data: s.values };
  const best = c.best ? { step: c.best.step, accuracy: c.best.accuracy, loss: c.best.loss } : null;
  return writeSafetensors(tensors, { format: 'pt-checkpoint', step: String(c.step), optimizer: c.optimizer, best: JSON.stringify(best) });
}

export function decodeCheckpoint(bytes: Uint8Array, fileName = 'checkpoint'): TrainingCheckpoint {
  const file = parseSafetensors(bytes, fileName);
  if (file.metadata.format !== 'pt-checkpoint') throw new Error(`${fileName} is not a training checkpoint`);
  const promptShape = file.entries.get('prompt')!.shape as [number, number];
  const best = JSON.parse(file.metadata.best ?? 'null') as { step: number; accuracy: number; loss: number } | null;
  return {
    step: Number(file.metadata.step),
    promptShape,
    prompt: file.readF32('prompt'),
    optimizer: file.metadata.optimizer as TrainingCheckpoint['optimizer'],
    optimizerState: file
      .names()
      .filter((n) => n.startsWith(STATE_PREFIX))
      .map((n) => ({ name: n.slice(STATE_PREFIX.length), shape: file.info(n)!.shape, values: file.readF32(n) })),
    best: best ? { ...best, prompt: file.readF32('best_prompt') } : undefined,
  };
}
