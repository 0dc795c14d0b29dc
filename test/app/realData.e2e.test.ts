/**
 * Issue #14 in the built app, driven as a new user would: rt-polarity's shape (label first, 1 / -1,
 * no header) is read as data with the decision shown and a one-click switch; the numeric labels
 * get words from the label table; a TSV with a very common class and duplicates gets its notes and
 * the majority baseline; JSON Lines (with a bad line, and broken) is read or refused with a message.
 * Then a short training run on the demo model: the prompt file records the label map and a
 * labelled CSV comes back with the data's own labels; the accuracy chart draws the majority
 * baseline; the file, imported, evaluates on the raw 1 / -1 rows through its label map. Screenshots go to test-results/real-data-*.png.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { readPromptFile } from '../../src/core/promptFile/promptFile';
import { appInBrowser, dropFile, openStudio } from '../helpers/appInBrowser';
import { startBuiltApp } from '../helpers/devServer';

const app = appInBrowser(() => startBuiltApp(mkdtempSync(path.join(tmpdir(), 'real-data-build-'))), 600_000);
const shots = 'test-results';
beforeAll(() => mkdirSync(shots, { recursive: true }));

const summary = (page: Page) => page.getByTestId('data-summary').textContent();
/** The problem list's text, or '' when there is none (the list is left out then). */
const problems = async (page: Page) => ((await page.getByTestId('data-problems').count()) ? ((await page.getByTestId('data-problems').textContent()) ?? '') : '');
const WORDS = ['a', 'warm', 'funny', 'tale', 'dull', 'and', 'tedious', 'film', 'never', 'finds', 'its', 'footing'];
const sentence = (i: number) => `${Array.from({ length: 5 + (i % 6) }, (_, k) => WORDS[(i * 5 + k * 7) % WORDS.length]).join(' ')} , ${i} .`;

// rt-polarity's shape: 60 rows, "1" / "-1" first, quoted sentences with commas, no header.
const polarity = Array.from({ length: 60 }, (_, i) => `${i % 2 ? '-1' : '1'},"${sentence(i)}"`).join('\n') + '\n';

it('headerless CSV, label texts, TSV notes, JSON Lines, then training with the label map', async () => {
  const { page, errors } = await openStudio(app.browser, app.server.url, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });

  // 1. The headerless file: all 60 rows, the first row read as data, and why.
  await dropFile(page, 'rt-polarity.csv', polarity);
  await expect.poll(() => summary(page), { timeout: 30_000 }).toMatch(/^60 examples, 2 classes/);
  const header = page.getByTestId('header-choice');
  expect(await header.getAttribute('data-has-header')).toBe('no');
  expect(await header.textContent()).toMatch(/The first row is data/);
  expect(await page.getByTestId('header-evidence').textContent()).toMatch(/'1' is also a value of column 1/);
  expect(await page.getByTestId('text-column').inputValue()).toBe('column 2');
  expect(await page.getByTestId('label-column').inputValue()).toBe('column 1');
  expect(Number(await page.getByTestId('majority-baseline').getAttribute('data-value'))).toBe(0.5);

  // The switch: read as a header, one example fewer; and back.
  await page.getByTestId('header-switch').click();
  await expect.poll(() => summary(page), { timeout: 30_000 }).toMatch(/^59 examples/);
  expect(await page.getByTestId('header-choice').getAttribute('data-has-header')).toBe('yes');
  await page.getByTestId('header-switch').click();
  await expect.poll(() => summary(page), { timeout: 30_000 }).toMatch(/^60 examples/);

  // 2. The labels are numbers: the table offers words; "1" (the larger) is positive.
  expect(await page.getByTestId('label-codes-note').textContent()).toMatch(/numbers or codes/);
  await page.getByTestId('label-texts').screenshot({ path: `${shots}/real-data-1-label-texts.png` });
  await page.getByTestId('label-suggestion-0').click();
  expect(await page.getByTestId('label-text-0').inputValue()).toBe('positive');
  expect(await page.getByTestId('label-text-1').inputValue()).toBe('negative');
  // Typing the same text twice blocks training with a message; a different one clears it.
  await page.getByTestId('label-text-1').fill('positive');
  await expect.poll(() => problems(page)).toMatch(/Two labels share a text/);
  await page.getByTestId('label-text-1').fill('negative');
  await expect.poll(() => problems(page)).not.toMatch(/Two labels share a text/);
  await page.screenshot({ path: `${shots}/real-data-1-headerless.png`, fullPage: true });

  // 3. A TSV with a header, 0 / 1 labels, one class at 90% and a duplicated row: notes, not blocks.
  const tsv = ['sentence\tlabel', ...Array.from({ length: 50 }, (_, i) => `${sentence(i)}\t${i < 45 ? 0 : 1}`), `${sentence(3)}\t0`].join('\n');
  await dropFile(page, 'reviews.tsv', tsv);
  await expect.poll(() => summary(page), { timeout: 30_000 }).toMatch(/^51 examples, 2 classes, UTF-8, tab-separated/);
  expect(await page.getByTestId('header-choice').getAttribute('data-has-header')).toBe('yes');
  const notes = await problems(page);
  expect(notes).toMatch(/very imbalanced/);
  expect(notes).toMatch(/1 row repeats the text of another row/);
  expect(notes).not.toMatch(/Blocking/);
  expect(Number(await page.getByTestId('majority-baseline').getAttribute('data-value'))).toBeCloseTo(46 / 51, 10);
  await page.screenshot({ path: `${shots}/real-data-2-tsv-notes.png`, fullPage: true });
  await page.getByTestId('data-problems').screenshot({ path: `${shots}/real-data-2-notes.png` });

  // 4. JSON Lines with a broken line: read, and the line is named; a file with no JSON object is refused.
  const jsonl = ['{"text": "a warm and funny tale", "label": 1}', '{"text": "dull and tedious", "label": 0}', '{"text": oops}', '{"text": "never finds its footing", "label": 0}'].join('\n');
  await dropFile(page, 'export.jsonl', jsonl);
  await expect.poll(() => summary(page), { timeout: 30_000 }).toMatch(/^3 examples, 2 classes, UTF-8, JSON records/);
  expect(await problems(page)).toMatch(/line 3/);
  expect(await page.getByTestId('header-choice').count()).toBe(0);
  await dropFile(page, 'broken.jsonl', 'not json at all\n');
  await expect.poll(() => problems(page), { timeout: 30_000 }).toMatch(/not JSON Lines/);

  // 5. Back to the headerless file with words for its labels; train briefly on the demo model.
  await dropFile(page, 'rt-polarity.csv', polarity);
  await expect.poll(() => summary(page), { timeout: 30_000 }).toMatch(/^60 examples/);
  await page.getByTestId('label-suggestion-0').click();
  await page.getByTestId('load-demo').click();
  await expect.poll(() => page.getByTestId('model-loaded').count(), { timeout: 120_000 }).toBe(1);
  await page.fill('#train-promptLength', '2');
  await page.fill('#train-batchSize', '4');
  await page.fill('#train-steps', '2');
  await page.fill('#train-evalEvery', '2');
  await page.getByTestId('train-start').click();
  await expect.poll(() => page.getByTestId('train-result').count(), { timeout: 600_000 }).toBe(1);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-prompt').click()]);
  const file = readPromptFile(new Uint8Array(readFileSync((await download.path())!)), download.suggestedFilename());
  expect(file.metadata.labels).toEqual(['positive', 'negative']);
  expect(file.metadata.labelValues).toEqual(['1', '-1']);

  // Label a CSV: the predictions are the data's labels, 1 or -1.
  const [labelled] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('predict-csv').setInputFiles({ name: 'new.csv', mimeType: 'text/csv', buffer: Buffer.from('id,text\n1,a warm and funny tale\n2,dull and tedious\n') }),
  ]);
  const lines = readFileSync((await labelled.path())!, 'utf8').trim().split(/\r?\n/);
  expect(lines[0]).toBe('id,text,prediction,confidence');
  for (const line of lines.slice(1)) expect(line).toMatch(/,(1|-1),[01]\.\d{4}$/);

  // The accuracy chart draws the majority-class baseline (30 of 60 rows: 50%).
  expect(Number(await page.locator('g.loss-chart__baseline', { hasText: 'majority class' }).getAttribute('data-value'))).toBe(0.5);

  // Import the downloaded file and evaluate it on the data as it is (labels 1 / -1): its label_map
  // maps them, so all 60 rows count and none is an unknown label.
  await page.getByTestId('evaluate-data').click();
  await expect.poll(() => page.getByTestId('evaluation').count(), { timeout: 120_000 }).toBe(1);
  await page.getByTestId('import-prompt').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/octet-stream', buffer: readFileSync((await download.path())!) });
  // A new prompt clears the last evaluation: the import has been handled.
  await expect.poll(() => page.getByTestId('evaluation').count(), { timeout: 60_000 }).toBe(0);
  await page.getByTestId('evaluate-data').click();
  await expect.poll(() => page.getByTestId('evaluation').textContent(), { timeout: 120_000 }).toMatch(/on 60 examples/);
  expect(await page.locator('.warning').allTextContents()).not.toContainEqual(expect.stringMatching(/does not know/));
  await page.screenshot({ path: `${shots}/real-data-3-trained.png`, fullPage: true });
  expect(errors).toEqual([]);
}, 900_000);
