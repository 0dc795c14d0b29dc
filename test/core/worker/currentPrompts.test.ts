/**
 * Evaluating an imported prompt whose file records a label_map ("1" → "w101") on data labelled as
 * the training data was (1/-1): every row counts, exactly as in the session that trained it.
 */
import { expect, it } from 'vitest';
import { readPromptFile } from '../../../src/core/promptFile/promptFile';
import { wordModelFiles } from '../../helpers/wordModel';
import { workerSession } from '../../helpers/workerSession';

/** Raw labels 1 and -1, as rt-polarity ships them; the model is trained to write w101 / w202 for them. */
const raw = Array.from({ length: 16 }, (_, i) => ({ text: `w${10 + (i % 2)} w${20 + i}`, label: i % 2 ? '1' : '-1' }));
const rename = { '1': 'w101', '-1': 'w202' };

it('maps the data labels of an imported prompt through its label_map when evaluating', async () => {
  const trained = workerSession();
  await trained.s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files: wordModelFiles('t5-tiny-relu') } });
  await trained.s.handle({ type: 'start', runId: 'mapped', examples: raw, validationFraction: 0.25, task: { rename }, config: { promptLength: 2, batchSize: 4, steps: 2, evalEvery: 0, dropoutRate: 0, seed: 3 } });
  expect(trained.of('error')).toEqual([]);
  await trained.s.handle({ type: 'export', format: 'prompt' });
  const exported = trained.of('exported')[0]!;
  // The file records the mapping (its label_map), in the order of the texts.
  const metadata = readPromptFile(exported.bytes, exported.fileName).metadata;
  expect(Object.fromEntries(metadata.labels!.map((t, i) => [metadata.labelValues![i], t]))).toEqual(rename);
  await trained.s.handle({ type: 'evaluate', requestId: 1, examples: raw });

  const fresh = workerSession();
  await fresh.s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files: wordModelFiles('t5-tiny-relu') } });
  await fresh.s.handle({ type: 'import-prompts', files: [[{ name: exported.fileName, bytes: exported.bytes }]] });
  await fresh.s.handle({ type: 'evaluate', requestId: 2, examples: raw });
  // Rows labelled with the texts the prompt writes evaluate the same.
  const asTexts = raw.map((r) => ({ ...r, label: rename[r.label as '1' | '-1'] }));
  await fresh.s.handle({ type: 'evaluate', requestId: 3, examples: asTexts });
  expect(fresh.of('error')).toEqual([]);
  expect(fresh.of('warning')).toEqual([]);
  const [byLabel, byText] = fresh.of('evaluation');
  const reference = trained.of('evaluation')[0]!;
  expect(byLabel).toMatchObject({ n: 16, labels: reference.labels, members: reference.members, confusion: reference.confusion });
  expect(byText).toMatchObject({ n: 16, members: reference.members, confusion: reference.confusion });
  // Every row is in the confusion matrix: 8 of each class.
  expect(byLabel!.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([8, 8]);

  // A row whose label is neither is left out, and the warning names what the prompt knows.
  await fresh.s.handle({ type: 'evaluate', requestId: 4, examples: [...raw, { text: 'w10 w99', label: '0' }] });
  expect(fresh.of('warning')[0]!.message).toBe('1 row has a label the prompt does not know (it knows -1 (w202), 1 (w101)); it was left out');
  expect(fresh.of('evaluation')[2]!.n).toBe(16);
  trained.s.dispose();
  fresh.s.dispose();
});
