/**
 * Saved work across tabs, in real headless Chromium: a run has one owner (a Web Lock held by the
 * training tab's worker), the other tab shows it as running elsewhere and takes it over when the
 * owner closes; and a tab closed while checkpoints are being written, again and again, leaves a
 * readable checkpoint that the run resumes from.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { startDevServer, type DevServer } from '../helpers/devServer';

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function studio(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  return { page, errors };
}

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
  const context = await browser.newContext();
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
  const context = await browser.newContext();
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
