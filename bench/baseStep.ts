/**
 * `npx tsx bench/baseStep.ts`: one prompt-tuning step of a T5-base-shaped model (T5 v1.1 base:
 * d_model 768, 12+12 layers, random weights) through the app's own PromptTrainer on TF.js's
 * WebAssembly backend in Node, the step `npm run bench` times on T5-small (batch 8, 64 input
 * tokens, a 20-token prompt, dropout 0.1), with the peak tensor memory tf.profile sees against
 * the estimate the studio checks before a download (src/core/model/memoryEstimate.ts).
 * Flags: --steps N (timed steps after one warm-up, default 3), --batch N, --length N, --prompt N.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src/core/backend';
import { estimateMemory } from '../src/core/model/memoryEstimate';
import { T5_V1_1 } from '../src/core/model/t5Catalogue';
import { parameterCount } from '../src/core/model/t5Weights';
import { PromptTrainer } from '../src/core/tuning/trainer';
import { randomT5 } from './randomT5';
import { median, TRAIN_DROPOUT } from './workloads';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '3' }, batch: { type: 'string', default: '8' }, length: { type: 'string', default: '64' }, prompt: { type: 'string', default: '20' } } });
const [steps, batch, length, P] = [values.steps, values.batch, values.length, values.prompt].map(Number) as [number, number, number, number];

async function main(): Promise<void> {
  const backend = await selectBackend(['wasm']);
  tf.env().set('PROD', true);
  const config = { ...T5_V1_1.base, dropoutRate: TRAIN_DROPOUT };
  const built = performance.now();
  const model = randomT5(config);
  const buildSeconds = (performance.now() - built) / 1000;
  const examples = Array.from({ length: batch * 4 }, (_, i) => ({ inputIds: [...Array.from({ length: length - 1 }, (_, j) => 3 + ((i * 7919 + j * 104729) % 32000)), 1], labelIndex: i % 2 }));
  const targets = [[1465, 1], [2841, 1]];
  const trainer = new PromptTrainer(model, { train: examples, validation: [], targets, labelTokenIds: [[1465], [2841]] }, { promptLength: P, batchSize: batch, init: 'random', steps: steps + 1 });
  await trainer.initialise();
  const times: number[] = [];
  let peak = 0;
  for (let s = 0; s <= steps; s++) {
    const started = performance.now();
    const profile = { ...(await tf.profile(async () => void (await trainer.trainStep().memberLosses.data()))) };
    times.push((performance.now() - started) / 1000);
    peak = Math.max(peak, profile.peakBytes);
  }
  const estimate = estimateMemory(config, { batchSize: batch, promptLength: P, maxInputTokens: length + P, ensembleSize: 1, optimizer: 'adafactor', maxTokensPerPass: trainer.config.maxTokensPerPass, labels: 2, targetTokens: 2 });
  const gb = (x: number) => `${(x / 1e9).toFixed(2)} GB`;
  const timed = times.slice(1);
  const tokens = (length + P) * batch;
  console.log(JSON.stringify({
    backend: backend.name,
    model: `T5 v1.1 base shape, ${parameterCount(config).toLocaleString('en-US')} parameters, random weights`,
    workload: `batch ${batch}, ${length} input tokens, prompt ${P}, dropout ${TRAIN_DROPOUT}`,
    buildSeconds: +buildSeconds.toFixed(1),
    firstStepSeconds: +times[0]!.toFixed(2),
    medianStepSeconds: +median(timed).toFixed(2),
    tokensPerSecond: Math.round(tokens / median(timed)),
    peakTensors: gb(peak),
    estimate: { total: gb(estimate.total), weights: gb(estimate.weights), cachedCopies: gb(estimate.cachedCopies), trainingPass: gb(estimate.passes.training) },
  }, null, 2));
  trainer.dispose();
  model.dispose();
}

void main();
