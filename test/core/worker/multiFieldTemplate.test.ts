/**
 * A template with several columns through the worker session, as the studio sends it: the run is
 * trained, saved and evaluated with it (the evaluated inputs are the filled template), validation
 * reports exact match and F1, and typed inputs with their columns get the evaluated answers.
 */
import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { IndexedDbRunStore } from '../../../src/core/storage/indexedDbRunStore';
import { applyTemplate } from '../../../src/core/task/template';
import type { WorkerEvent } from '../../../src/core/worker/protocol';
import { TrainingSession } from '../../../src/core/worker/trainingSession';
import { wordModelDir } from '../../helpers/wordModel';

const dir = wordModelDir('t5-tiny-relu');
const files = () => readdirSync(dir).map((n) => new File([readFileSync(path.join(dir, n))], n));
const template = 'w3 {question} w4 {text}';
// 16 rows, 16 answers: a text task whose input has two columns.
const rows = Array.from({ length: 16 }, (_, i) => ({ text: `w${20 + i} w${60 + i}`, label: `w${60 + i}`, fields: { question: `w${100 + i}` } }));

it('trains, saves, evaluates and answers with the template and each row’s columns', async () => {
  const events: WorkerEvent[] = [];
  const store = new IndexedDbRunStore(`fields-${Math.random()}`);
  const s = new TrainingSession((e) => events.push(e), store);
  const of = <T extends WorkerEvent['type']>(type: T) => events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);
  await s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-relu', files: files() } });
  await s.handle({ type: 'start', runId: 'fields', examples: rows, validationFraction: 0.25, task: { kind: 'text', template }, config: { promptLength: 2, batchSize: 4, steps: 2, evalEvery: 2, dropoutRate: 0, seed: 1 } });
  expect(of('error')).toEqual([]);
  expect(of('data')[0]).toMatchObject({ kind: 'text', template });
  // Validation compares answers as text: exact match (the accuracy) and F1, both shares.
  const [validation] = of('validation');
  expect(validation!.f1).toBeGreaterThanOrEqual(validation!.accuracy);
  expect(validation!.f1).toBeLessThanOrEqual(1);
  expect((await store.loadRun('fields'))?.task.template).toBe(template);

  await s.handle({ type: 'evaluate', requestId: 1, examples: rows });
  const [evaluation] = of('text-evaluation');
  expect(evaluation!.examples[3]!.input).toBe(applyTemplate(template, rows[3]!.text, rows[3]!.fields));
  expect(evaluation!.examples[3]!.input).toBe('w3 w103 w4 w23 w63');

  // Try it: the text and the question typed apart, as the studio sends them.
  await s.handle({ type: 'predict', requestId: 2, texts: [rows[3]!.text, rows[7]!.text], fields: [rows[3]!.fields, rows[7]!.fields] });
  expect(of('error')).toEqual([]);
  expect(of('generated')[0]!.results.map((r) => r.answer)).toEqual([evaluation!.examples[3]!.generated, evaluation!.examples[7]!.generated]);

  // The saved run's prompts come back with their template, so Try it asks for the same columns.
  await s.handle({ type: 'open-run', runId: 'fields' });
  expect(of('prompts-ready').at(-1)).toMatchObject({ kind: 'text', template });
  s.dispose();
});
