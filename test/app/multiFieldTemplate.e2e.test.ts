/**
 * A text-to-text task with an input of several columns, in headless Chromium on the demo model: a
 * 3-column CSV (question, context, answer) gets the Data step's template field; a name the file
 * lacks is refused with its columns listed and training waits; a good template shows the first
 * row as the model reads it, trains a 2-prompt ensemble whose validation chart carries exact match
 * and F1, evaluates with the filled inputs (the vote and the most confident answer), answers in
 * Try it from one box per column, and is recorded in the downloaded prompt file.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { readPromptFile } from '../../src/core/promptFile/promptFile';
import { appInBrowser, openStudio } from '../helpers/appInBrowser';

const app = appInBrowser();

const words = ['apple', 'river', 'stone', 'cloud', 'green', 'table', 'music', 'paper', 'horse', 'light', 'water', 'bread', 'chair', 'money', 'night', 'house'];
const rows = words.map((w, i) => ({ question: `Which word is number ${i}?`, context: `The word is ${w}.`, answer: w }));
const csv = `question,context,answer\n${rows.map((r) => `"${r.question}","${r.context}",${r.answer}`).join('\n')}\n`;
const template = 'question: {question} context: {text}';

it('a template with several columns: checked against the columns, trained, validated by exact match and F1, evaluated, tried, saved', async () => {
  const { page, errors } = await openStudio(app.browser, app.server.url, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await page.evaluate(
    ({ name, text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'text/csv' }));
      const target = document.querySelector('[data-testid="csv-drop"]')!;
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    },
    { name: 'qa.csv', text: csv },
  );
  await expect.poll(() => page.getByTestId('input-template').count(), { timeout: 30_000 }).toBe(1);
  await page.getByTestId('text-column').selectOption('context');
  await page.getByTestId('label-column').selectOption('answer');
  await expect.poll(() => page.getByTestId('task-kind').inputValue(), { timeout: 30_000 }).toBe('text');

  // A misspelt column: said with the columns there are, and training waits for a fix.
  await page.getByTestId('input-template').fill('question: {qestion} context: {text}');
  expect(await page.getByTestId('template-problem').textContent()).toBe("The template names {qestion}, but the data has no such column; the columns are 'question', 'context', 'answer' ({text} is the text column).");
  await page.getByTestId('load-demo').click();
  await expect.poll(() => page.getByTestId('model-loaded').textContent(), { timeout: 120_000 }).toMatch(/Loaded demo/);
  expect(await page.getByTestId('train-start').isDisabled()).toBe(true);
  expect(await page.getByText('Fix the input template in the Data step first.').count()).toBe(1);

  await page.getByTestId('input-template').fill(template);
  expect(await page.getByTestId('template-problem').count()).toBe(0);
  expect(await page.getByTestId('template-preview').textContent()).toBe(`The first row reads: “question: ${rows[0]!.question} context: ${rows[0]!.context}”`);
  await page.fill('#train-promptLength', '4');
  await page.fill('#train-batchSize', '4');
  await page.fill('#train-steps', '4');
  await page.fill('#train-evalEvery', '4');
  await page.getByTestId('ensemble-toggle').check();
  await page.fill('#train-ensembleSize', '2');
  await page.getByTestId('train-start').click();
  await expect.poll(() => page.getByTestId('train-result').count(), { timeout: 600_000 }).toBe(1);

  // The chart's validation is exact match and F1 for each prompt, and the vote's beside it.
  const f1 = page.getByTestId('latest-validation-f1');
  expect(await f1.count()).toBe(2);
  for (const cell of await f1.all()) expect(Number(await cell.getAttribute('data-value'))).toBeGreaterThanOrEqual(0);
  expect(await page.getByTestId('ensemble-accuracy').textContent()).toMatch(/validation exact match at step 4: \d+\.\d%, F1 \d+\.\d%/);

  await page.getByTestId('evaluate-data').click();
  await expect.poll(() => page.getByTestId('text-evaluation').count(), { timeout: 300_000 }).toBe(1);
  expect(await page.getByTestId('most-confident').textContent()).toMatch(/exact match \d+\.\d%, F1 \d+\.\d%/);
  const first = page.getByTestId('text-examples').locator('tbody tr').first();
  expect(await first.locator('td').nth(0).textContent()).toBe(`question: ${rows[0]!.question} context: ${rows[0]!.context}`);
  const generated = (await first.locator('td').nth(2).textContent())!;

  // Try it asks for each column the template names and writes the evaluated answer for the same row.
  await page.getByTestId('try-field-question').fill(rows[0]!.question);
  await page.getByTestId('try-text').fill(rows[0]!.context);
  await page.getByTestId('try-submit').click();
  await expect.poll(() => page.getByTestId('try-answer').count(), { timeout: 120_000 }).toBe(1);
  expect(await page.getByTestId('try-answer').locator('strong').textContent()).toBe(generated || '(empty answer)');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-prompt').click()]);
  const file = readPromptFile(new Uint8Array(readFileSync((await download.path())!)));
  expect(file.metadata).toMatchObject({ task: 'text', template });
  expect(errors).toEqual([]);
}, 900_000);
