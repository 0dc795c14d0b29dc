/**
 * The measurement behind choosing a backend (backendChoice.ts): on each backend in turn, a model
 * of the run's shape with made-up weights (speed does not depend on the values, and made-up weights
 * need no download and no copy of the real model on every backend) takes a warm-up step and two
 * timed steps of the run's own trainer on the run's own data. The real model is untouched.
 */
import { startBackend, type BackendName, type BackendOptions } from '../backend';
import { summariseSteps, type BackendTiming } from '../backendChoice';
import type { TensorStore } from '../io/tensorStore';
import type { T5Config } from '../model/t5Config';
import { T5Model } from '../model/t5Model';
import { expectedParameters, loadT5Weights } from '../model/t5Weights';
import { PromptTrainer, type TrainerConfig, type TrainingData } from '../tuning/trainer';

/** One warm-up step (shader compilation, first uploads) and this many timed ones. */
export const TIMED_STEPS = 2;

/**
 * Weights of the right shapes with small varied values: norms at one, the rest a cheap
 * deterministic pattern of about ±0.5/√d_model (finite losses, no denormals, nothing constant).
 */
export function trialWeights(config: T5Config): TensorStore {
  const shapes = expectedParameters(config);
  const scale = 1 / Math.sqrt(config.dModel);
  return {
    fileName: 'made-up weights (backend trial)',
    names: () => [...shapes.keys()],
    info: (name) => (shapes.has(name) ? { name, dtype: 'F32', shape: shapes.get(name)! } : undefined),
    readF32: (name) => {
      const data = new Float32Array(shapes.get(name)!.reduce((a, d) => a * d, 1));
      if (name.endsWith('layer_norm.weight')) return data.fill(1);
      for (let i = 0; i < data.length; i++) data[i] = (((i * 2654435761) >>> 0) / 4294967296 - 0.5) * scale;
      return data;
    },
  };
}

/** Time one backend; its failure (cannot start, out of memory) is its result, not an error. */
async function timeOne(name: BackendName, config: T5Config, data: TrainingData, trainerConfig: Partial<TrainerConfig>, options: BackendOptions): Promise<BackendTiming> {
  let model: T5Model | undefined;
  let trainer: PromptTrainer | undefined;
  try {
    if (!(await startBackend(name, options))) return { backend: name, error: 'it did not start' };
    model = new T5Model(config, loadT5Weights(trialWeights(config), config));
    trainer = new PromptTrainer(model, data, { ...trainerConfig, init: 'random', ensembleInits: undefined, steps: TIMED_STEPS + 1, epochs: undefined });
    await trainer.initialise();
    const times: number[] = [];
    for (let s = 0; s <= TIMED_STEPS; s++) {
      const started = performance.now();
      const { memberLosses } = trainer.trainStep();
      await memberLosses.data(); // the step is done when its loss can be read
      memberLosses.dispose();
      times.push(performance.now() - started);
    }
    return summariseSteps(name, times);
  } catch (e) {
    return { backend: name, error: (e as Error).message || String(e) };
  } finally {
    trainer?.dispose();
    model?.dispose();
  }
}

/**
 * Time each backend in turn and return their timings; TF.js is left on the last one tried, so the
 * caller starts the chosen backend afterwards.
 */
export async function timeBackends(backends: BackendName[], config: T5Config, data: TrainingData, trainerConfig: Partial<TrainerConfig>, options: BackendOptions = {}): Promise<BackendTiming[]> {
  const timings: BackendTiming[] = [];
  for (const name of backends) timings.push(await timeOne(name, config, data, trainerConfig, options));
  return timings;
}
