/**
 * `npx tsx bench/perf/nodeStep.ts`: the bench's training step (batch 8, 64 input tokens, a 20-token
 * prompt) on TF.js's WASM backend in Node (single-threaded: no cross-origin isolation), with
 * PROFILE=1 a per-kernel profile of one step. Quicker than `npm run bench` for comparing changes;
 * REPS=N timed steps (default 3).
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/backend';
import { randomT5 } from '../randomT5';
import { makeStepper, median } from '../workloads';

async function main() {
  await selectBackend(['wasm']);
  tf.env().set('PROD', true);
  const model = randomT5();
  const stepper = await makeStepper(model, { batch: 8, inputLength: 64, promptLength: 20 });
  await stepper.step();
  // CPU time as well as wall time: on a shared machine the wall clock measures the neighbours too.
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < Number(process.env.REPS ?? 3); i++) {
    const c0 = process.cpuUsage();
    times.push((await stepper.step()).ms);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  console.log('wall ms', times.map((t) => t.toFixed(0)).join(' '), 'median', median(times).toFixed(0));
  console.log('cpu ms', cpu.map((t) => t.toFixed(0)).join(' '), 'median', median(cpu).toFixed(0));
  if (process.env.PROFILE) {
    const info = await tf.profile(async () => void (await stepper.step()));
    const by = new Map<string, { ms: number; count: number }>();
    const byShape = new Map<string, { ms: number; count: number }>();
    for (const k of info.kernels) {
      const e = by.get(k.name) ?? { ms: 0, count: 0 }; e.ms += Number(k.kernelTimeMs) || 0; e.count++; by.set(k.name, e);
      const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
      const f = byShape.get(key) ?? { ms: 0, count: 0 }; f.ms += Number(k.kernelTimeMs) || 0; f.count++; byShape.set(key, f);
    }
    const total = [...by.values()].reduce((s, e) => s + e.ms, 0);
    console.log('kernels', info.kernels.length, 'total kernel ms', total.toFixed(0));
    for (const [n, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(n.padEnd(28), e.ms.toFixed(1).padStart(8), String(e.count).padStart(6));
    console.log('---');
    for (const [n, e] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40)) console.log(e.ms.toFixed(1).padStart(8), String(e.count).padStart(5), n);
  }
  stepper.dispose();
}
void main();
