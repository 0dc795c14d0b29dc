/**
 * A text-to-text task in the studio, in headless Chromium on the demo model: a small CSV of
 * questions and one-word answers is recognised as text to text, the prompt-design baseline is
 * scored on the validation rows at Start and shown beside the accuracy, and Evaluate reports exact
 * match and F1 with a table of examples; Label a CSV writes generated answers; the downloaded prompt
 * file records the task type.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { expect, it } from 'vitest';
import { readPromptFile } from '../../src/core/promptFile/promptFile';
import { appInBrowser, dropFile, openStudio } from '../helpers/appInBrowser';

const app = appInBrowser();

const words = ['apple', 'river', 'stone', 'cloud', 'green', 'table', 'music', 'paper', 'horse', 'light', 'water', 'bread', 'chair', 'money', 'night', 'house'];
const csv = `question,answer\n${words.map((w) => `"Repeat the word: ${w}",${w}`).join('\n')}\n`;

it('text to text: detected, trained, baseline beside the accuracy, evaluated by exact match and F1', async () => {
  const { page, errors } = await openStudio(app.browser, app.server.url, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await dropFile(page, 'repeat.csv', csv, 'text/csv');
  await expect.poll(() => page.getByTestId('task-kind').inputValue(), { timeout: 30_000 }).toBe('text');
  expect(await page.getByTestId('task-kind-reason').textContent()).toMatch(/16 distinct targets in 16 rows/);
  // Answers are not classes: no label-text table and no per-class counts.
  expect(await page.getByTestId('label-texts').count()).toBe(0);
  expect(await page.getByText('Examples per class').count()).toBe(0);
  expect(await page.getByTestId('data-summary').textContent()).toMatch(/^16 examples, 16 distinct answers, UTF-8/);
  // Split as training splits a text task (randomly, not per class): 16 rows at the default 10%.
  expect(await page.getByTestId('split-counts').textContent()).toBe('14 train · 2 validation');
  await page.getByTestId('baseline-template').fill('{text} The word is:');
  // Four words never trained on, as the test set.
  const test = `question,answer\n${['grass', 'sugar', 'plant', 'metal'].map((w) => `"Repeat the word: ${w}",${w}`).join('\n')}\n`;
  await page.getByTestId('test-csv-input').setInputFiles({ name: 'test.csv', mimeType: 'text/csv', buffer: Buffer.from(test) });
  await expect.poll(() => page.getByTestId('test-set-status').textContent(), { timeout: 30_000 }).toMatch(/4 test examples/);

  await page.getByTestId('load-demo').click();
  await expect.poll(() => page.getByTestId('model-loaded').textContent(), { timeout: 120_000 }).toMatch(/Loaded demo/);
  await page.fill('#train-promptLength', '4');
  await page.fill('#train-batchSize', '4');
  await page.fill('#train-steps', '4');
  await page.fill('#train-evalEvery', '4');
  await page.getByTestId('train-start').click();
  await expect.poll(() => page.getByTestId('train-result').count(), { timeout: 600_000 }).toBe(1);
  expect(await page.getByTestId('train-result').textContent()).toMatch(/trained 4 steps/);
  expect(await page.getByTestId('prompt-design-validation').textContent()).toMatch(/^Prompt design \(frozen model, template “\{text\} The word is:”, no soft prompt\): \d+\.\d% exact match, F1 \d+\.\d% on \d+ validation rows/);

  await page.getByTestId('evaluate-data').click();
  await expect.poll(() => page.getByTestId('text-evaluation').count(), { timeout: 300_000 }).toBe(1);
  expect(await page.getByTestId('exact-match').textContent()).toMatch(/^\d+\.\d%$/);
  const rows = page.getByTestId('text-examples').locator('tbody tr');
  expect(await rows.count()).toBe(16);
  expect(await rows.first().locator('td').nth(0).textContent()).toBe('Repeat the word: apple');
  expect(await rows.first().locator('td').nth(1).textContent()).toBe('apple');
  // Try it writes the same answer for the same input.
  const generated = (await rows.first().locator('td').nth(2).textContent())!;
  await page.getByTestId('try-text').fill('Repeat the word: apple');
  expect(await page.getByTestId('try-submit').textContent()).toBe('Answer');
  await page.getByTestId('try-submit').click();
  await expect.poll(() => page.getByTestId('try-answer').count(), { timeout: 120_000 }).toBe(1);
  expect(await page.getByTestId('try-answer').locator('strong').textContent()).toBe(generated || '(empty answer)');
  // The baseline is scored again on the test set, beside the trained prompt's exact match there.
  await page.getByRole('button', { name: 'On the test set' }).click();
  await expect.poll(() => page.getByTestId('prompt-design-test').count(), { timeout: 300_000 }).toBe(1);
  expect(await page.getByTestId('prompt-design-test').textContent()).toMatch(/exact match, F1 \d+\.\d% on 4 test rows/);
  expect(await page.getByTestId('text-examples').locator('tbody tr').count()).toBe(4);

  // Label a CSV writes the generated answer beside each row (the same answer Try it gave).
  const [labelled] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('predict-csv').setInputFiles({ name: 'new.csv', mimeType: 'text/csv', buffer: Buffer.from('id,question\n1,Repeat the word: apple\n') }),
  ]);
  expect(labelled.suggestedFilename()).toBe('new.predictions.csv');
  const table = Papa.parse<string[]>(readFileSync((await labelled.path())!, 'utf8').trim()).data;
  expect(table).toEqual([
    ['id', 'question', 'prediction', 'cut'],
    ['1', 'Repeat the word: apple', generated, expect.stringMatching(/^(yes)?$/)],
  ]);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-prompt').click()]);
  const file = readPromptFile(new Uint8Array(readFileSync((await download.path())!)));
  expect(file.metadata).toMatchObject({ baseModel: 'demo', task: 'text' });
  expect(file.metadata.labels).toBeUndefined();
  expect(errors).toEqual([]);
}, 900_000);
