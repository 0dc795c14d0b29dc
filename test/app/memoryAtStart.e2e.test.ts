/**
 * The memory check at Start and the cluster job's warm start, in real headless Chromium with the
 * demo model: settings changed after the model loaded that cannot fit (256 rows × 10 prompts) are refused at Start with
 * the numbers and nothing trains; a small batch trains; Keep then offers the current prompt for a
 * cluster job only on a model of its width (the demo's 256 matches no known T5, so it says so and
 * the job downloads without it). Screenshots go to test-results/memory-*.png.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { startDevServer, type DevServer } from '../helpers/devServer';

let server: DevServer;
let browser: Browser;
const shots = 'test-results';

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDevServer();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('refuses at Start a run that cannot fit, trains one that can, and offers the prompt to a cluster job of its width', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}#model=demo&prompt-length=4&steps=2&eval-every=2`);
  await expect.poll(() => page.getByTestId('model-loaded').textContent(), { timeout: 120_000 }).toMatch(/Loaded demo/);
  await page.getByTestId('demo-data').click();
  await page.screenshot({ path: `${shots}/memory-1-model-cards.png`, fullPage: true });

  // Changed after the Model step checked: 256 rows under 10 prompts.
  await page.fill('#train-batchSize', '256');
  await page.getByTestId('ensemble-toggle').check();
  await page.fill('#train-ensembleSize', '10');
  await page.getByTestId('train-start').click();
  const refusal = page.getByTestId('train-memory');
  await expect.poll(() => refusal.getAttribute('data-status'), { timeout: 30_000 }).toBe('refused');
  const text = (await refusal.textContent())!;
  expect(text).toMatch(/^Not started: /);
  expect(text).toMatch(/2560 rows|largest tensor takes [\d.]+ [GT]B/);
  expect(text).toContain('Keep → Continue on a GPU cluster');
  await page.screenshot({ path: `${shots}/memory-2-refused.png`, fullPage: true });
  expect(await page.getByTestId('train-stats').count()).toBe(0);

  // A small batch with one prompt fits: the note goes with the settings it was about, and it trains.
  await page.fill('#train-batchSize', '4');
  await page.getByTestId('ensemble-toggle').uncheck();
  expect(await refusal.count()).toBe(0);
  await page.getByTestId('train-start').click();
  await expect.poll(() => page.getByTestId('train-result').count(), { timeout: 300_000 }).toBe(1);

  // Keep: the demo's prompt is 256 wide; no known T5 is, so the warm start is offered but cannot be ticked.
  const include = page.getByTestId('export-job-prompt');
  await expect.poll(() => include.count(), { timeout: 30_000 }).toBe(1);
  expect(await include.isDisabled()).toBe(true);
  const why = (await page.getByTestId('export-job-prompt-width').textContent())!;
  expect(why).toContain('The current prompt is 256 wide but google/flan-t5-large has d_model 1024');
  expect(why).toContain('No known T5 has d_model 256');
  await page.getByTestId('export-job').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/memory-3-cluster-job.png`, fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-job').click()]);
  const files = Object.keys(unzipSync(new Uint8Array(await readFile((await download.path())!))));
  expect(files).toContain('prompt-job-google_flan-t5-large/recipe.json');
  expect(files.some((f) => f.endsWith('init_prompt.safetensors'))).toBe(false);
  expect(errors).toEqual([]);
  await page.close();
}, 600_000);
