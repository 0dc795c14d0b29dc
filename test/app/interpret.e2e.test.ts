/**
 * The Watch panel's interpretation, driven as a person would on the dev server in headless
 * Chromium: load the demo model, open a prompt file that records how it started, then read its
 * neighbours (with norms and the caveat), its place on the vocabulary map, its drift, what the
 * model reads of an email, and how it compares with another prompt file. Screenshots of each
 * view go to test-results/interpret-studio-*.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { nodeDirSource } from '../../src/core/io/nodeDirSource';
import { loadT5 } from '../../src/core/model/loadT5';
import { writePromptFile } from '../../src/core/promptFile/promptFile';
import { seededRandom } from '../../src/core/random';
import { initPrompt } from '../../src/core/tuning/promptInit';
import { appInBrowser, openStudio } from '../helpers/appInBrowser';

const app = appInBrowser();
const shots = 'test-results';
let prompts: Buffer[];

/** Two prompts for the demo model: a `labels` start (seed 3) moved by noise, and a random one. */
async function demoPrompts(): Promise<Buffer[]> {
  const loaded = await loadT5(nodeDirSource(path.resolve('public/demo-model')));
  const tokenizer = loaded.tokenizer!;
  const labels = ['spam', 'ham'];
  const start = await initPrompt({ init: 'labels', length: 5, seed: 3, embeddings: loaded.model.weights.shared, labelTokenIds: labels.map((l) => tokenizer.encode(l).slice(0, -1)) });
  loaded.model.dispose();
  const random = seededRandom(1);
  const moved = start.values.map((x) => x + 0.6 * (random() - 0.5));
  const other = start.values.map(() => 2 * (random() - 0.5));
  return [
    Buffer.from(writePromptFile({ length: 5, width: 256, values: moved }, { baseModel: 'demo', labels, init: 'labels', initSeed: 3, steps: 120, template: '{text}' })),
    Buffer.from(writePromptFile({ length: 5, width: 256, values: other }, { baseModel: 'demo', labels, init: 'random', steps: 50 })),
  ];
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  prompts = await demoPrompts();
}, 600_000);

it('open a prompt file → neighbours with norms, map, drift, what the model reads, runs side by side', async () => {
  const { page, errors } = await openStudio(app.browser, app.server.url, { viewport: { width: 1280, height: 900 } });
  await page.getByTestId('load-demo').click();
  await expect.poll(() => page.getByTestId('model-loaded').count(), { timeout: 180_000 }).toBe(1);

  // The vocabulary map comes with the model: 1,500 sampled tokens of 8,000 on the PCA axes.
  const map = page.getByTestId('vocabulary-map');
  await expect.poll(async () => Number(await map.getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThanOrEqual(1500);

  await page.getByTestId('import-prompt').setInputFiles({ name: 'spam.prompt.safetensors', mimeType: 'application/octet-stream', buffer: prompts[0]! });
  const neighbours = page.getByTestId('neighbours-view');
  await expect.poll(() => neighbours.getAttribute('data-step'), { timeout: 120_000 }).toBe('120');
  expect(await page.getByTestId('token-norm').count()).toBe(5);
  expect(await page.getByTestId('token-norm').first().textContent()).toMatch(/‖[\d.]+‖ · p(\d+|<1|>99)/);
  expect(await page.getByTestId('neighbours-caveat').textContent()).toMatch(/Prompt Waywardness/);
  expect(await map.locator('g.vmap__token').count()).toBe(5);
  expect(await map.locator('g.vmap__label').count()).toBe(2);
  expect(await map.locator('path.vmap__trail').first().getAttribute('d')).toMatch(/^M.*L/); // start → end
  await map.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/interpret-studio-neighbours-map.png`, fullPage: false });

  // Drift: the file records init `labels` and init_seed 3, so the start is rebuilt: two columns.
  const drift = page.getByTestId('drift-heatmap');
  await expect.poll(() => drift.getAttribute('data-columns'), { timeout: 60_000 }).toBe('2');
  await drift.locator('summary').click();
  const cosine = Number((await page.getByTestId('drift-table').locator('tbody tr').first().locator('td').first().textContent()) ?? 'NaN');
  expect(cosine).toBeGreaterThan(0);
  expect(cosine).toBeLessThan(1);
  await drift.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/interpret-studio-drift.png` });

  // What the model reads of one email: 4 encoder layers, 5 prompt tokens.
  await page.getByTestId('reading-text').fill('Congratulations! You have won a FREE cruise. Click here to claim your prize now.');
  await page.getByTestId('reading-run').click();
  const reading = page.getByTestId('example-reading');
  await expect.poll(() => reading.count(), { timeout: 120_000 }).toBe(1);
  expect(await page.getByTestId('attention-shares').locator('tbody tr').count()).toBe(4);
  expect(await page.getByTestId('token-importance').locator('tbody tr').count()).toBe(5);
  expect(await reading.textContent()).toMatch(/Predicted (spam|ham)/);
  await reading.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/interpret-studio-reading.png` });

  // Runs side by side: no saved runs in this fresh profile, two files.
  await page.getByTestId('compare-files').setInputFiles([
    { name: 'spam.prompt.safetensors', mimeType: 'application/octet-stream', buffer: prompts[0]! },
    { name: 'random.prompt.safetensors', mimeType: 'application/octet-stream', buffer: prompts[1]! },
  ]);
  await page.getByTestId('compare-run').click();
  const matrices = page.getByTestId('similarity-matrix');
  await expect.poll(() => matrices.count(), { timeout: 60_000 }).toBe(2);
  expect(await matrices.first().locator('tbody tr').count()).toBe(2);
  expect(await matrices.first().locator('tbody tr').first().locator('td').first().textContent()).toBe('1.00');
  await matrices.first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/interpret-studio-compare.png` });
  expect(errors).toEqual([]);
  await page.close();
}, 900_000);
