/**
 * A training checkpoint as one safetensors file: each member's prompt and best prompt and the
 * optimiser state as tensors, the rest as metadata. Used for checkpoint files in Node (the CLI).
 */
import { parseSafetensors, writeSafetensors, type TensorToWrite } from '../io/safetensors';
import type { TrainingCheckpoint } from '../tuning/trainer';

const STATE_PREFIX = 'optimizer/';

export function encodeCheckpoint(c: TrainingCheckpoint): Uint8Array {
  const tensors: Record<string, TensorToWrite> = {};
  c.prompts.forEach((p, k) => (tensors[`prompt/${k}`] = { shape: c.promptShape, data: p }));
  c.best.forEach((b, k) => b && (tensors[`best_prompt/${k}`] = { shape: c.promptShape, data: b.prompt }));
  for (const s of c.optimizerState) tensors[STATE_PREFIX + s.name] = { shape: s.shape, data: s.values };
  const best = c.best.map((b) => (b ? { step: b.step, accuracy: b.accuracy, loss: b.loss } : null));
  return writeSafetensors(tensors, { format: 'pt-checkpoint', step: String(c.step), optimizer: c.optimizer, members: String(c.prompts.length), best: JSON.stringify(best) });
}

export function decodeCheckpoint(bytes: Uint8Array, fileName = 'checkpoint'): TrainingCheckpoint {
  const file = parseSafetensors(bytes, fileName);
  if (file.metadata.format !== 'pt-checkpoint') throw new Error(`${fileName} is not a training checkpoint`);
  const members = Number(file.metadata.members);
  const promptShape = file.entries.get('prompt/0')!.shape as [number, number];
  const best = JSON.parse(file.metadata.best ?? '[]') as Array<{ step: number; accuracy: number; loss: number } | null>;
  return {
    step: Number(file.metadata.step),
    promptShape,
    prompts: Array.from({ length: members }, (_, k) => file.readF32(`prompt/${k}`)),
    optimizer: file.metadata.optimizer as TrainingCheckpoint['optimizer'],
    optimizerState: file
      .names()
      .filter((n) => n.startsWith(STATE_PREFIX))
      .map((n) => ({ name: n.slice(STATE_PREFIX.length), shape: file.info(n)!.shape, values: file.readF32(n) })),
    best: Array.from({ length: members }, (_, k) => (best[k] ? { ...best[k]!, prompt: file.readF32(`best_prompt/${k}`) } : undefined)),
  };
}
