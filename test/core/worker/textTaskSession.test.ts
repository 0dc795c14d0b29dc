/**
 * A text-to-text run in the worker session: the prompt-design baseline on the validation rows at
 * Start, evaluation by generation (exact match, F1, examples) for the trained prompt and for its
 * file imported again, answers to typed texts, and the exported file's task type.
 */
import { expect, it } from 'vitest';
import { readPromptFile } from '../../../src/core/promptFile/promptFile';
import { wordModelFiles } from '../../helpers/wordModel';
import { workerSession } from '../../helpers/workerSession';

// 16 rows, 16 answers: a text task.
const rows = Array.from({ length: 16 }, (_, i) => ({ text: `w${20 + i} w${60 + i}`, label: `w${60 + i}` }));

it('trains a text task, scores the baseline on validation, evaluates by generation, exports the task type', async () => {
  const trained = workerSession();
  await trained.s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files: wordModelFiles('t5-tiny-relu') } });
  await trained.s.handle({ type: 'start', runId: 'text', examples: rows, validationFraction: 0.25, task: { kind: 'text' }, baselineTemplate: 'w3 {text}', config: { promptLength: 2, batchSize: 4, steps: 2, evalEvery: 2, dropoutRate: 0, seed: 1 } });
  expect(trained.of('error')).toEqual([]);
  expect(trained.of('data')[0]).toMatchObject({ train: 12, validation: 4, kind: 'text' });
  const [baseline] = trained.of('baseline');
  expect(baseline).toMatchObject({ split: 'validation', kind: 'text', n: 4, template: 'w3 {text}' });
  expect(baseline!.score).toBeGreaterThanOrEqual(0);
  expect(trained.of('validation').length).toBeGreaterThan(0);

  await trained.s.handle({ type: 'evaluate', requestId: 1, examples: rows, baselineTemplate: 'w3 {text}' });
  const [evaluation] = trained.of('text-evaluation');
  expect(evaluation).toMatchObject({ requestId: 1, n: 16 });
  expect(evaluation!.examples).toHaveLength(16);
  expect(evaluation!.examples[0]).toMatchObject({ input: 'w20 w60', target: 'w60' });
  expect(trained.of('baseline')[1]).toMatchObject({ split: 'test', requestId: 1, n: 16, kind: 'text' });
  expect(trained.of('evaluation')).toEqual([]);

  await trained.s.handle({ type: 'export', format: 'prompt' });
  const exported = trained.of('exported')[0]!;
  expect(readPromptFile(exported.bytes, exported.fileName).metadata).toMatchObject({ task: 'text' });

  // The same file imported elsewhere generates the same answers.
  const fresh = workerSession();
  await fresh.s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files: wordModelFiles('t5-tiny-relu') } });
  await fresh.s.handle({ type: 'import-prompts', files: [[{ name: exported.fileName, bytes: exported.bytes }]] });
  expect(fresh.of('error')).toEqual([]);
  expect(fresh.of('prompts-ready')[0]).toMatchObject({ kind: 'text' });
  await fresh.s.handle({ type: 'evaluate', requestId: 2, examples: rows });
  expect(fresh.of('error')).toEqual([]);
  const again = fresh.of('text-evaluation')[0]!;
  expect(again.examples.map((e) => e.generated)).toEqual(evaluation!.examples.map((e) => e.generated));
  expect(again.ensemble).toEqual(evaluation!.ensemble);

  // Typed texts (Try it) get the same answers as the evaluated rows with the same inputs.
  await fresh.s.handle({ type: 'predict', requestId: 3, texts: [rows[0]!.text, rows[5]!.text] });
  expect(fresh.of('error')).toEqual([]);
  const [typed] = fresh.of('generated');
  expect(typed!.requestId).toBe(3);
  expect(typed!.results.map((r) => r.answer)).toEqual([evaluation!.examples[0]!.generated, evaluation!.examples[5]!.generated]);
  expect(typed!.results.map((r) => r.members)).toEqual([[evaluation!.examples[0]!.generated], [evaluation!.examples[5]!.generated]]);
  trained.s.dispose();
  fresh.s.dispose();
});
