/**
 * `npm run bench:soak`: a long run in the real studio (headless Chromium, the demo model, the
 * backend the app picks) to show that nothing grows with the step count: the worker's tensors and
 * their bytes (TF.js's count), the site's storage (IndexedDB runs and checkpoints) and the page's
 * JS heap are sampled as training goes, and printed and written to bench/results/soak.json.
 *
 * Options: --steps=N (default 3000)  --every=N (sample every N steps, default 250)  --out=PATH
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startDevServer } from '../tools/appServer';
import { chromiumArgs, chromiumPath } from '../tools/chromium';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const steps = option('steps', 3000);
const every = option('every', 250);
const out = argv.find((a) => a.startsWith('--out='))?.slice(6) ?? path.join(import.meta.dirname, 'results/soak.json');

interface Sample {
  step: number;
  seconds: number;
  tensors: number;
  tensorBytes: number;
  storageBytes: number;
  heapBytes: number;
}

const server = await startDevServer();
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
const samples: Sample[] = [];
let backend = '';
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.getByTestId('demo-data').click();
  await page.getByTestId('load-demo').click();
  await page.getByTestId('model-loaded').waitFor({ timeout: 120_000 });
  backend = (await page.getByTestId('backend').getAttribute('data-backend')) ?? '';
  // A small prompt and batch keep the run short; validation and checkpoints every 25 steps, as in the studio.
  await page.fill('#train-promptLength', '4');
  await page.fill('#train-batchSize', '4');
  await page.fill('#train-steps', String(steps));
  await page.fill('#train-evalEvery', '25');
  await page.getByTestId('train-start').click();
  const started = Date.now();
  const stats = page.getByTestId('train-stats');
  for (let target = every; target <= steps; target += every) {
    await page.waitForFunction((t) => Number(document.querySelector('[data-testid="train-stats"]')?.textContent?.match(/step (\d+)/)?.[1] ?? 0) >= t, target, { timeout: 600_000, polling: 500 });
    const sample = await page.evaluate(async () => ({
      storageBytes: (await navigator.storage.estimate()).usage ?? 0,
      heapBytes: (performance as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    }));
    const step = Number(((await stats.textContent()) ?? '').match(/step (\d+)/)?.[1] ?? 0);
    const s: Sample = { step, seconds: (Date.now() - started) / 1000, tensors: Number(await stats.getAttribute('data-tensors')), tensorBytes: Number(await stats.getAttribute('data-bytes')), ...sample };
    samples.push(s);
    process.stderr.write(`step ${s.step}: ${s.tensors} tensors, ${(s.tensorBytes / 1e6).toFixed(1)} MB in tensors, storage ${(s.storageBytes / 1e6).toFixed(2)} MB, page heap ${(s.heapBytes / 1e6).toFixed(1)} MB, ${s.seconds.toFixed(0)} s\n`);
  }
} finally {
  await browser.close();
  await server.stop();
}

const first = samples[0];
const last = samples.at(-1);
const growth = first && last ? { tensors: last.tensors - first.tensors, tensorBytes: last.tensorBytes - first.tensorBytes, storageBytes: last.storageBytes - first.storageBytes } : undefined;
const table = ['| step | s | tensors | tensor MB | storage MB | page heap MB |', '| ---: | ---: | ---: | ---: | ---: | ---: |', ...samples.map((s) => `| ${s.step} | ${s.seconds.toFixed(0)} | ${s.tensors} | ${(s.tensorBytes / 1e6).toFixed(1)} | ${(s.storageBytes / 1e6).toFixed(2)} | ${(s.heapBytes / 1e6).toFixed(1)} |`)].join('\n');
console.log(table);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), backend, steps, every, samples, growth, table }, null, 1)}\n`);
process.stderr.write(`wrote ${out}\n`);
