/**
 * The studio as a person uses it, on the real built app in headless Chromium, on the backend the
 * app picks (WebAssembly with threads here, where the only WebGPU adapter is software; the worker
 * test trains on WebGPU): drop a messy CSV, use a clean one, pick the demo model, train a few steps, watch the loss
 * chart and the neighbours update, download the prompt file and load it back, reload the page and
 * find the run. Screenshots of each stage go to test-results/studio-*.png.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { readPromptFile } from '../../src/core/promptFile/promptFile';
import { appInBrowser, dropFile, openStudio } from '../helpers/appInBrowser';
import { hasOnlySoftwareGpu } from '../helpers/browser';
import { startBuiltApp } from '../helpers/devServer';

const app = appInBrowser(() => startBuiltApp(mkdtempSync(path.join(tmpdir(), 'studio-build-'))), 600_000);
const shots = 'test-results';
beforeAll(() => mkdirSync(shots, { recursive: true }));

// BOM, CRLF, a quoted newline, "" escapes, a Windows-1252 "café", HTML in a cell, a missing label, a blank line.
const messy = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from('text,label,\r\n"Great ""value"", would return",positive,\r\n"Two\r\nlines here",negative,\r\n<img src=x onerror="window.__xss=1">,negative,\r\n\r\nno label here,,\r\nterrible service,negative,\r\n', 'latin1'),
  Buffer.from([0x63, 0x61, 0x66, 0xe9]), // "café" in Windows-1252: not valid UTF-8
  Buffer.from(' was lovely,positive,\r\n', 'latin1'),
]);

it('drop → demo model → train → watch → download → reload', async () => {
  // Nothing leaves the machine: every request goes to the app's own origin (the demo model is served by it).
  const foreign: string[] = [];
  const origin = new URL(app.server.url).origin;
  const watchRequests = (page: Page) =>
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) foreign.push(r.url());
    });
  const { page, errors } = await openStudio(app.browser, app.server.url, { viewport: { width: 1280, height: 800 }, acceptDownloads: true, consoleErrors: true, beforeLoad: watchRequests });
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toMatch(/connect-src 'self' https:\/\/huggingface\.co/);
  const expected = (await hasOnlySoftwareGpu(page)) ? 'wasm' : 'webgpu';
  await expect.poll(() => page.getByTestId('backend').getAttribute('data-backend'), { timeout: 120_000 }).toBe(expected);
  if (expected === 'wasm') expect(await page.getByTestId('backend').textContent()).toMatch(/WebAssembly \(SIMD, [2-9]\d* threads\)/);

  // 1. A messy file: decoded, problems reported with row numbers, HTML shown as text.
  await dropFile(page, 'messy.csv', messy, 'text/csv');
  await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toMatch(/examples/);
  const problems = (await page.getByTestId('data-problems').textContent()) ?? '';
  expect(problems).toMatch(/without a label/);
  expect(problems).toMatch(/Row 6\b/); // header = 1, the quoted newline is one row, the blank line counts
  expect(await page.locator('[data-testid="data-preview"]').textContent()).toContain('café');
  expect(await page.locator('[data-testid="data-preview"]').textContent()).toContain('<img src=x onerror=');
  expect(await page.locator('[data-testid="data-preview"] img').count()).toBe(0);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  await page.screenshot({ path: `${shots}/studio-1-messy-csv.png`, fullPage: true });

  // The demo emails (spam or ham, held out of the demo model's pretraining) as the training data.
  await page.getByTestId('demo-data').click();
  await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toMatch(/400 examples, 2 classes/);

  // 2. The demo model.
  await page.getByTestId('load-demo').click();
  await expect.poll(() => page.getByTestId('model-loaded').textContent(), { timeout: 120_000 }).toMatch(/Loaded demo/);
  await page.screenshot({ path: `${shots}/studio-2-data-and-model.png`, fullPage: true });

  // 3. Train a few steps.
  await page.fill('#train-promptLength', '8');
  await page.fill('#train-batchSize', '8');
  await page.fill('#train-steps', '12');
  await page.fill('#train-evalEvery', '6');
  await page.getByTestId('train-start').click();
  const chart = page.getByTestId('loss-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 300_000 }).toBeGreaterThan(0);
  const early = Number(await chart.getAttribute('data-points'));
  await page.screenshot({ path: `${shots}/studio-3-training.png`, fullPage: true });
  await expect.poll(() => page.getByTestId('train-result').count(), { timeout: 600_000 }).toBe(1);
  expect(await page.getByTestId('train-result').textContent()).toMatch(/trained 12 steps/);

  // 4. The chart and the neighbours view updated during the run.
  expect(Number(await chart.getAttribute('data-points'))).toBe(12);
  expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(early - 1);
  expect(Number(await page.getByTestId('neighbours-view').getAttribute('data-step'))).toBe(10);
  // The demo model learns: the chart's latest validation accuracy is well above chance (50%, balanced classes).
  const accuracy = Number(await page.getByTestId('latest-validation-accuracy').getAttribute('data-value'));
  console.log(`demo run: validation accuracy ${accuracy} after 12 steps`);
  expect(accuracy).toBeGreaterThanOrEqual(0.75);
  expect(await page.getByTestId('backend').getAttribute('data-backend')).toBe(expected);
  await page.getByTestId('neighbours-view').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/studio-4-watch.png`, fullPage: true });

  // 5. Download the prompt file; it loads back with the right shape and metadata.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-prompt').click()]);
  expect(download.suggestedFilename()).toBe('demo.prompt.safetensors');
  const file = readPromptFile(new Uint8Array(readFileSync((await download.path())!)), download.suggestedFilename());
  expect([file.prompt.length, file.prompt.width]).toEqual([8, 256]);
  expect(file.metadata).toMatchObject({ baseModel: 'demo', dModel: 256, labels: ['spam', 'ham'], init: 'labels', template: '{text}' });
  expect(file.metadata.steps).toBeGreaterThan(0);

  // Try it, and the confusion matrix after evaluation.
  await page.getByTestId('try-text').fill('FREE vacation!!! — Click here now to claim your prize, limited offer');
  await page.getByTestId('try-submit').click();
  await expect.poll(() => page.getByTestId('try-answer').textContent(), { timeout: 60_000 }).toMatch(/spam|ham/);
  await page.getByTestId('evaluate-data').click();
  await expect.poll(() => page.getByTestId('confusion-matrix').count(), { timeout: 120_000 }).toBe(1);
  await page.getByTestId('evaluation').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/studio-5-keep.png`, fullPage: true });

  // Label a whole CSV: the download adds a prediction column to every row.
  const [labelled] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('predict-csv').setInputFiles({ name: 'new.csv', mimeType: 'text/csv', buffer: Buffer.from('id,text\n1,Re: minutes of the meeting — see the attached notes\n2,"Cheap meds, no prescription — order now"\n') }),
  ]);
  expect(labelled.suggestedFilename()).toBe('new.predictions.csv');
  const lines = readFileSync((await labelled.path())!, 'utf8').trim().split(/\r?\n/); // RFC 4180 line ends
  expect(lines[0]).toBe('id,text,prediction,confidence');
  expect(lines).toHaveLength(3);
  expect(lines[2]).toMatch(/^2,"Cheap meds, no prescription — order now",(spam|ham),0\.\d{4}$/);

  // 6. Reload: the run is still there, with its curve.
  await page.reload();
  const row = page.getByTestId('runs').locator('tbody tr');
  await expect.poll(() => row.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await row.first().textContent()).toMatch(/demo.*spam, ham.*12 \/ 12.*completed/);
  await row.first().getByRole('button', { name: 'Show curve' }).click();
  await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBe(12);
  await page.screenshot({ path: `${shots}/studio-6-after-reload.png`, fullPage: true });

  // ...and its prompt comes back from the saved checkpoint: the same file downloads again.
  await row.first().getByTestId('use-run').click();
  await expect.poll(() => page.getByTestId('download-prompt').isEnabled(), { timeout: 120_000 }).toBe(true);
  const [again] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-prompt').click()]);
  const reopened = readPromptFile(new Uint8Array(readFileSync((await again.path())!)), again.suggestedFilename());
  expect(Array.from(reopened.prompt.values)).toEqual(Array.from(file.prompt.values));

  // The theme picker switches the palette (app.css: --bg is #f6f6f8 light, #141418 dark).
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.getByLabel('Colour theme').selectOption('light');
  expect(await background()).toBe('rgb(246, 246, 248)');
  await page.getByLabel('Colour theme').selectOption('dark');
  expect(await background()).toBe('rgb(20, 20, 24)');
  await page.screenshot({ path: `${shots}/studio-7-dark.png`, fullPage: false });
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
}, 900_000);

it('the built app refuses third-party connections but allows the model host', async () => {
  const { page } = await openStudio(app.browser, app.server.url);
  const violations = await page.evaluate(async () => {
    const blocked: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => blocked.push(e.blockedURI));
    // The Hub is allowed by the policy (the request itself fails here: there is no network).
    for (const url of ['https://example.com/collect', 'https://huggingface.co/api/models']) await fetch(url).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    return [...new Set(blocked)]; // the header and the <meta> policy each report it
  });
  expect(violations).toEqual(['https://example.com/collect']);
  await page.close();
});

it('reloading mid-training loses nothing: the run resumes from its checkpoint with the curve intact', async () => {
  const { page, errors } = await openStudio(app.browser, app.server.url, { viewport: { width: 1280, height: 800 } });
  await page.getByTestId('demo-data').click();
  await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toMatch(/400 examples/);
  await page.getByTestId('load-demo').click();
  await expect.poll(() => page.getByTestId('model-loaded').count(), { timeout: 120_000 }).toBe(1);
  await page.fill('#train-promptLength', '4');
  await page.fill('#train-batchSize', '4');
  await page.fill('#train-steps', '30');
  await page.fill('#train-evalEvery', '5');
  await page.getByTestId('train-start').click();
  // Wait for a checkpoint at step 10 or later, then reload as a crashed tab would.
  await expect.poll(async () => Number(/saved at step (\d+)/.exec((await page.getByTestId('train-stats').textContent()) ?? '')?.[1] ?? 0), { timeout: 300_000 }).toBeGreaterThanOrEqual(10);
  await page.reload();

  const row = page.getByTestId('runs').locator('tbody tr').first();
  await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/interrupted/);
  const savedSteps = Number(/(\d+) \/ 30/.exec((await row.textContent()) ?? '')?.[1]);
  expect(savedSteps).toBeGreaterThanOrEqual(10);
  await row.getByTestId('resume-run').click();
  // The saved curve is back at once, before any new step.
  await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: `${shots}/studio-8-resumed.png`, fullPage: true });
  await expect.poll(() => page.getByTestId('train-result').count(), { timeout: 600_000 }).toBe(1);
  // Every step 1..30 exactly once: the resumed run continued from the checkpoint.
  expect(Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBe(30);
  expect(await page.getByTestId('train-result').textContent()).toMatch(/trained 30 steps/);
  await page.reload();
  await expect.poll(() => page.getByTestId('runs').locator(`tbody tr`).first().textContent(), { timeout: 30_000 }).toMatch(/30 \/ 30.*completed/);
  expect(errors).toEqual([]);
}, 900_000);
