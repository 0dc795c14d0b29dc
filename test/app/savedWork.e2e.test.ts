/**
 * Saved work across tabs, in real headless Chromium: a run has one owner (a Web Lock held by the
 * training tab's worker), the other tab shows it as running elsewhere and takes it over when the
 * owner closes; and a tab closed while checkpoints are being written, again and again, leaves a
 * readable checkpoint that the run resumes from; the storage line (persistence, sizes, deleting
 * cached models and runs), and storage filling up mid-run (one warning, the last checkpoint kept).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { expect, it } from 'vitest';
import { formatBytes } from '../../src/core/format/bytes';
import { appInBrowser, openStudio, type StudioPage } from '../helpers/appInBrowser';

const app = appInBrowser();

/** A tab of the studio in `context` (tabs of one context share storage, locks and channels). */
const studio = (context: BrowserContext): Promise<StudioPage> => openStudio(context, app.server.url);

/** Demo emails and the demo model, a tiny prompt, a long run that checkpoints often. */
async function startLongRun(page: Page, evalEvery: number) {
  await page.getByTestId('demo-data').click();
  await page.getByTestId('load-demo').click();
  await expect.poll(() => page.getByTestId('model-loaded').textContent(), { timeout: 120_000 }).toMatch(/Loaded demo/);
  await page.fill('#train-promptLength', '4');
  await page.fill('#train-batchSize', '4');
  await page.fill('#train-steps', '5000');
  await page.fill('#train-evalEvery', String(evalEvery));
  await page.getByTestId('train-start').click();
}

const savedCheckpointStep = (page: Page) => page.evaluate(() => Number(document.querySelector('[data-testid="train-stats"]')?.textContent?.match(/saved at step (\d+)/)?.[1] ?? 0));

/** The run and its checkpoint straight from IndexedDB, checked for shape and finiteness in the page. */
function storedRun(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('prompt-tuning-studio');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = <T,>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result as T[]);
        r.onerror = () => reject(r.error);
      });
    const runs = await all<{ id: string; losses: Array<[number, number]> }>('runs');
    const checkpoints = await all<{ step: number; promptShape: [number, number]; prompts: Float32Array[] }>('checkpoints');
    db.close();
    return {
      runs: runs.map((r) => ({ id: r.id, lastStep: r.losses.at(-1)?.[0] ?? 0 })),
      checkpoints: checkpoints.map((c) => ({
        step: c.step,
        sizeOk: c.prompts.every((p) => p.length === c.promptShape[0] * c.promptShape[1]),
        finite: c.prompts.every((p) => p.every(Number.isFinite)),
      })),
    };
  });
}

it('a run training in one tab is read-only in another, which takes it over when the first tab closes', async () => {
  const context = await app.browser.newContext();
  const a = await studio(context);
  await startLongRun(a.page, 5);
  await expect.poll(() => savedCheckpointStep(a.page), { timeout: 300_000 }).toBeGreaterThan(0);

  const b = await studio(context);
  const row = b.page.locator('[data-testid="runs"] tbody tr');
  await expect.poll(() => row.count(), { timeout: 120_000 }).toBe(1);
  await expect.poll(() => row.getByTestId('run-status').textContent(), { timeout: 120_000 }).toBe('running in another tab');
  expect(await row.getByTestId('resume-run').count()).toBe(0);

  await a.page.close();
  await expect.poll(() => row.getByTestId('run-status').textContent(), { timeout: 120_000 }).toBe('interrupted');
  const before = (await storedRun(b.page)).checkpoints[0]!.step;
  await row.getByTestId('resume-run').click();
  await expect.poll(async () => Number(((await b.page.getByTestId('train-stats').textContent()) ?? '').match(/step (\d+)/)?.[1] ?? 0), { timeout: 300_000 }).toBeGreaterThan(before);
  await b.page.getByTestId('train-stop').click();
  expect([...a.errors, ...b.errors]).toEqual([]);
  await context.close();
}, 900_000);

it('closing the tab while checkpoints are written, three times, leaves a readable checkpoint the run resumes from', async () => {
  const context = await app.browser.newContext();
  let { page, errors } = await studio(context);
  await startLongRun(page, 1); // a checkpoint after every step
  const seen: number[] = [];
  for (let round = 0; round < 3; round++) {
    const target = (seen.at(-1) ?? 0) + 3;
    await expect.poll(() => savedCheckpointStep(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(target);
    expect(errors).toEqual([]);
    await page.close({ runBeforeUnload: false }); // mid-write, most likely: a write follows every step

    ({ page, errors } = await studio(context));
    const stored = await storedRun(page);
    expect(stored.checkpoints).toHaveLength(1);
    const [checkpoint] = stored.checkpoints;
    expect(checkpoint).toMatchObject({ sizeOk: true, finite: true });
    expect(checkpoint!.step).toBeGreaterThanOrEqual(target);
    expect(checkpoint!.step).toBeLessThanOrEqual(stored.runs[0]!.lastStep + 1);
    seen.push(checkpoint!.step);

    const row = page.locator('[data-testid="runs"] tbody tr');
    await expect.poll(() => row.getByTestId('run-status').textContent(), { timeout: 120_000 }).toBe('interrupted');
    await row.getByTestId('resume-run').click();
    await expect.poll(async () => Number(((await page.getByTestId('train-stats').textContent()) ?? '').match(/step (\d+)/)?.[1] ?? 0), { timeout: 300_000 }).toBeGreaterThan(checkpoint!.step);
  }
  expect(seen).toEqual([...seen].sort((x, y) => x - y));
  await page.getByTestId('train-stop').click();
  expect(errors).toEqual([]);
  await context.close();
}, 1_200_000);

/** The training worker's global scope, where the run store writes (the studio starts it on load). */
async function trainingWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => /trainingWorker/.test(w.url())), { timeout: 60_000 }).toBe(true);
  return page.workers().find((w) => /trainingWorker/.test(w.url()))!;
}

const trainedStep = async (page: Page) => Number(((await page.getByTestId('train-stats').textContent()) ?? '').match(/step (\d+)/)?.[1] ?? 0);

it('the storage line says what is kept and how much; a full disk mid-run warns once and keeps the last checkpoint; cached models and runs can be deleted', async () => {
  const context = await app.browser.newContext();
  const { page, errors } = await studio(context);
  page.on('dialog', (d) => void d.accept()); // "Delete this run?"
  const worker = await trainingWorker(page);
  await startLongRun(page, 5);
  await expect.poll(() => savedCheckpointStep(page), { timeout: 300_000 }).toBeGreaterThan(0);

  // The storage line: whether the browser granted persistent storage, in words that match.
  const line = page.getByTestId('storage-summary');
  await expect.poll(() => line.count(), { timeout: 60_000 }).toBe(1);
  const persisted = await line.getAttribute('data-persisted');
  expect(['true', 'false']).toContain(persisted);
  expect(await line.textContent()).toMatch(persisted === 'true' ? /the browser granted persistent storage/ : /may clear saved runs/);
  // Cached models: the demo model's files as the page's Cache Storage holds them, sized from disk.
  const cachedFiles = await page.evaluate(async () => (await (await caches.open('prompt-tuning-models-v1')).keys()).map((r) => new URL(r.url).pathname));
  expect(cachedFiles).toContain('/demo-model/model.safetensors');
  const onDisk = cachedFiles.reduce((sum, p) => sum + statSync(path.join('public', p)).size, 0);
  await expect.poll(() => line.textContent(), { timeout: 60_000 }).toContain(`Cached models: ${formatBytes(onDisk)}`);
  expect(await line.textContent()).toMatch(/Saved runs: \d+(\.\d)? (kB|MB)/);

  // The disk fills up: from now on every checkpoint write fails in the worker as the browser fails it.
  await worker.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'checkpoints') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  const full = page.getByRole('alert').filter({ hasText: /storage for this site is full/ });
  await expect.poll(() => full.count(), { timeout: 300_000 }).toBe(1);
  expect(await full.textContent()).toMatch(/Delete old runs or free disk space; training continues/);
  const kept = (await storedRun(page)).checkpoints;
  expect(kept).toHaveLength(1);
  // Training goes on in memory, well past several failed checkpoints, with still one warning.
  await expect.poll(() => trainedStep(page), { timeout: 300_000 }).toBeGreaterThan(kept[0]!.step + 15);
  expect(await full.count()).toBe(1);
  const after = (await storedRun(page)).checkpoints;
  expect(after).toEqual(kept);
  expect(after[0]).toMatchObject({ sizeOk: true, finite: true });
  await page.getByTestId('train-stop').click();
  await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 120_000 }).toBe(true);

  // Delete the cached models: the cache is empty and the line says so.
  await line.getByTestId('clear-model-cache').click();
  await expect.poll(() => line.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/Deleted \d+ cached model files?; models download again/);
  expect(await page.evaluate(async () => (await caches.keys()).includes('prompt-tuning-models-v1') ? (await (await caches.open('prompt-tuning-models-v1')).keys()).length : 0)).toBe(0);
  expect(await line.textContent()).toContain('Cached models: 0 bytes');

  // Delete the run: the list goes, and so do its record and checkpoint.
  await page.locator('[data-testid="runs"] tbody tr').getByRole('button', { name: 'Delete' }).click();
  await expect.poll(() => page.getByTestId('runs').count(), { timeout: 60_000 }).toBe(0);
  expect(await storedRun(page)).toEqual({ runs: [], checkpoints: [] });
  expect(errors).toEqual([]);
  await context.close();
}, 900_000);
