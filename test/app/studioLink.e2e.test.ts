/**
 * The studio's set-up lives in the URL hash: a link or a reload reproduces the model and the
 * training settings; a malformed link gives a visible note and the defaults, never a broken page.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { appInBrowser, openStudio, type StudioPage } from '../helpers/appInBrowser';

const app = appInBrowser();

async function open(hash: string): Promise<StudioPage> {
  const opened = await openStudio(app.browser, `${app.server.url}#${hash}`, { viewport: { width: 1280, height: 800 } });
  await opened.page.waitForSelector('#train-promptLength');
  return opened;
}

const field = (page: Page, key: string) => page.inputValue(`#train-${key}`);
const hashOf = (page: Page) => page.evaluate(() => location.hash);

it('a link sets the model and the training settings, and the hash follows edits across a reload', async () => {
  const { page, errors } = await open('model=demo&prompt-length=12&lr=0.05&optimizer=adam&steps=40&validation-fraction=0.2');
  expect(await field(page, 'promptLength')).toBe('12');
  expect(await field(page, 'learningRate')).toBe('0.05');
  expect(await field(page, 'optimizer')).toBe('adam');
  expect(await field(page, 'steps')).toBe('40');
  expect(await field(page, 'batchSize')).toBe('32'); // not in the link: the default
  // The demo model is the app's own, so the link loads it.
  await expect.poll(() => page.getByTestId('model-loaded').textContent(), { timeout: 120_000 }).toMatch(/Loaded demo/);

  await page.fill('#train-steps', '41');
  await expect.poll(() => hashOf(page)).toMatch(/steps=41/);
  expect(await hashOf(page)).toMatch(/prompt-length=12/);
  expect(await hashOf(page)).toMatch(/validation-fraction=0.2/);
  await page.reload();
  await page.waitForSelector('#train-promptLength');
  expect(await field(page, 'steps')).toBe('41');
  expect(await field(page, 'promptLength')).toBe('12');

  // A link pasted into the same tab applies too.
  await page.evaluate(() => (location.hash = '#steps=77'));
  await expect.poll(() => field(page, 'steps')).toBe('77');
  expect(await field(page, 'promptLength')).toBe('100');
  expect(errors).toEqual([]);
  await page.close();
});

it('a malformed or out-of-range link keeps the defaults and says what was ignored', async () => {
  const { page, errors } = await open('prompt-length=0&colour=blue&lr=fast&batch-size=8&%E0%A4%A');
  const note = page.getByTestId('link-problems');
  await expect.poll(() => note.count()).toBe(1);
  const text = (await note.textContent()) ?? '';
  expect(text).toMatch(/Prompt length must be a whole number from 1 to 500; got 0/);
  expect(text).toMatch(/unknown setting "colour"/);
  expect(text).toMatch(/Learning rate must be .*got "fast"/);
  expect(await field(page, 'promptLength')).toBe('100');
  expect(await field(page, 'learningRate')).toBe('0.3');
  expect(await field(page, 'batchSize')).toBe('8'); // the good part of the link is used
  expect(errors).toEqual([]);
  await page.close();
});

it('an out-of-range value typed into a field is shown as a problem and blocks training, not silently dropped', async () => {
  const { page, errors } = await open('model=demo');
  await page.getByTestId('demo-data').click();
  await expect.poll(() => page.getByTestId('model-loaded').textContent(), { timeout: 120_000 }).toMatch(/Loaded demo/);
  await expect.poll(() => page.getByTestId('train-start').isDisabled()).toBe(false);
  await page.fill('#train-promptLength', '900');
  await expect.poll(() => page.locator('#train-promptLength-problem').textContent()).toMatch(/from 1 to 500; got 900/);
  expect(await page.getAttribute('#train-promptLength', 'aria-invalid')).toBe('true');
  expect(await page.getByTestId('train-start').isDisabled()).toBe(true);
  await page.fill('#train-promptLength', '20');
  expect(await page.locator('#train-promptLength-problem').count()).toBe(0);
  expect(await page.getByTestId('train-start').isDisabled()).toBe(false);
  expect(errors).toEqual([]);
  await page.close();
});

it('a link names the columns: a dropped file with those columns uses them, and picking others updates the link', async () => {
  const { page, errors } = await open('text=title&label=verdict');
  const rows = Array.from({ length: 12 }, (_, i) => `"a long review number ${i} with many words in it",short ${i},${i % 2 ? 'good' : 'bad'},${i % 3 ? 'yes' : 'no'}`);
  const csv = `review,title,verdict,flag\n${rows.join('\n')}\n`;
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'reviews.csv', { type: 'text/csv' }));
    const target = document.querySelector('[data-testid="csv-drop"]')!;
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, csv);
  await expect.poll(() => page.getByTestId('text-column').inputValue(), { timeout: 30_000 }).toBe('title');
  expect(await page.getByTestId('label-column').inputValue()).toBe('verdict');
  await page.getByTestId('text-column').selectOption('review');
  await expect.poll(() => hashOf(page)).toMatch(/text=review/);
  expect(await hashOf(page)).toMatch(/label=verdict/);
  expect(errors).toEqual([]);
  await page.close();
});
