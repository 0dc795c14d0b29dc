/**
 * Cluster jobs for text-to-text tasks: the recipe records task "text" and no label set, the data
 * files carry the template's other columns, and train.py's answer metrics, template and metadata
 * agree with the studio's (SQuAD normalisation, exact match, token F1). Its dry run plans
 * generation; the PEFT training itself is not run here (see README).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { normalizeAnswer, textScores, tokenF1 } from '../../../src/core/eval/textMetrics';
import { buildJob, type Job, type JobInput } from '../../../src/core/job/jobFiles';
import { JobError } from '../../../src/core/job/jobError';
import { resolveJobModel } from '../../../src/core/job/jobModel';
import { importPrompt } from '../../../src/core/promptFile/peftAdapter';
import { withDefaults, type TrainingSettings } from '../../../src/core/settings/trainingSettings';
import type { LabeledExample } from '../../../src/core/task/task';
import { applyTemplate } from '../../../src/core/task/template';
import { taskFromExamples } from '../../../src/core/task/taskFormat';
import { trainingSplit } from '../../../src/core/task/trainingSplit';
import { expectRejection } from '../../helpers/expectError';
import { peftConfig } from '../../helpers/peftConfig';
import { python, TRAIN_PY, withTrainModule } from '../../helpers/python';

const script = readFileSync(TRAIN_PY, 'utf8');
const template = 'question: {question} context: {text}';
// 20 questions, each its own answer: a text-to-text task.
const rows: LabeledExample[] = Array.from({ length: 20 }, (_, i) => ({ text: `The answer is number ${i}, "quoted".`, label: `number ${i}`, fields: { question: `What is the number, ${i}?` } }));

function input(settings: Partial<TrainingSettings> = {}, over: Partial<JobInput> = {}): JobInput {
  const s = withDefaults({ promptLength: 3, template, validationFraction: 0.25, seed: 2, ...settings });
  return {
    model: resolveJobModel({ id: 'google/flan-t5-base', fromHub: true }),
    settings: s,
    task: taskFromExamples(rows, { maxInputTokens: s.maxInputTokens, template: s.template, kind: 'text' }),
    split: trainingSplit(rows, { ...s, kind: 'text' }),
    test: rows.slice(0, 2),
    script,
    ...over,
  };
}

function writeJob(j: Job): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'text-job-'));
  for (const f of j.files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.bytes);
  }
  return dir;
}

const csv = (job: Job, file: string) => Papa.parse<string[]>(new TextDecoder().decode(job.files.find((f) => f.path === file)!.bytes).trimEnd(), { newline: '\n' }).data;

describe('a text-to-text job', () => {
  it('records task "text" with no label set, the first answers for the labels initialisation, and the template in the settings', async () => {
    const job = await buildJob(input());
    expect(job.recipe.task).toEqual({ kind: 'text', labels: [], targetTexts: [], template, maxInputTokens: 256, fields: ['question'], initTexts: ['number 0', 'number 1', 'number 2'] });
    expect(job.recipe.settings.template).toBe(template);
    expect(job.recipe.settingLimits.template).toEqual({ kind: 'text', maxLength: 2000 });
    const readme = new TextDecoder().decode(job.files.find((f) => f.path === 'README.md')!.bytes);
    expect(readme).toContain('(columns text, label, question;');
    expect(readme).toContain('scores the answers by SQuAD exact match and token F1');
    expect(readme).not.toContain('Validation by rank classification');
  });

  it("writes each split's rows with the template's column after text and label", async () => {
    const job = await buildJob(input());
    const split = trainingSplit(rows, { validationFraction: 0.25, seed: 2, kind: 'text' });
    expect(split.validation).toHaveLength(5);
    expect(csv(job, 'data/train.csv')).toEqual([['text', 'label', 'question'], ...split.train.map((r) => [r.text, r.label, r.fields!.question])]);
    expect(csv(job, 'data/validation.csv')).toEqual([['text', 'label', 'question'], ...split.validation.map((r) => [r.text, r.label, r.fields!.question])]);
    expect(csv(job, 'data/test.csv')[1]).toEqual([rows[0]!.text, 'number 0', 'What is the number, 0?']);
  });

  it('passes its dry run, which plans generation scored by exact match and F1', async () => {
    const dir = writeJob(await buildJob(input({ evalEvery: 10 })));
    const r = python(['-S', 'train.py', '--dry-run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`task         template '${template}'; text to text: greedy answers scored by SQuAD exact match and F1`);
    expect(r.stdout).toContain('data         15 train, 5 validation, 2 test rows');
    expect(r.stdout).toContain('keeping the best (exact match, then loss)');
  });

  it('refuses a template the settings do not hold, rows without its column, and rows without an answer', async () => {
    await expectRejection(buildJob(input({}, { task: taskFromExamples(rows, { maxInputTokens: 256, template: '{text}', kind: 'text' }) })), JobError, { message: 'the task\'s template "{text}" differs from the setting ("question: {question} context: {text}")' });
    const bare = rows.map(({ fields: _, ...r }) => r);
    await expectRejection(buildJob(input({}, { split: { train: bare, validation: [] } })), JobError, { message: 'the template names {question}, but some rows carry no such column' });
    await expectRejection(buildJob(input({}, { split: { train: [...rows, { ...rows[0]!, label: ' ' }], validation: [] } })), JobError, { message: '1 rows have no answer in their label column' });
  });
});

describe('train.py on text tasks', () => {
  it('normalises and scores answers exactly as the studio does', () => {
    const pairs: Array<[string, string]> = [
      ['The Eiffel Tower!', 'eiffel tower'],
      ['Eiffel tower in Paris', 'the Eiffel Tower'],
      ['paris paris', 'Paris'],
      ['red green blue', 'green red black white'],
      ["rock'n'roll", 'rock n roll'],
      ['  A  cat,\tan apple ', 'cat apple'],
      ['Théâtre a Paris, theatre', 'théâtre paris'],
      ['the', ''],
      ['', 'paris'],
      ['London', 'Paris'],
    ];
    const py = withTrainModule(`
pairs = ${JSON.stringify(pairs)}
print(json.dumps({"normalized": [train.normalize_answer(p) for p, _ in pairs], "f1": [train.token_f1(p, t) for p, t in pairs],
  "scores": train.text_scores([p for p, _ in pairs], [t for _, t in pairs])}))`) as { normalized: string[]; f1: number[]; scores: { exact_match: number; f1: number } };
    expect(py.normalized).toEqual(pairs.map(([p]) => normalizeAnswer(p)));
    py.f1.forEach((f, i) => expect(f, pairs[i]!.join(' / ')).toBeCloseTo(tokenF1(...pairs[i]!), 12));
    const studio = textScores(pairs.map(([p]) => p), pairs.map(([, t]) => t));
    expect(py.scores.exact_match).toBeCloseTo(studio.exactMatch, 12);
    expect(py.scores.f1).toBeCloseTo(studio.f1, 12);
  });

  it('fills templates with several columns as the studio does', () => {
    const cases: Array<[string, string, Record<string, string>]> = [
      [template, 'ctx', { question: 'q?' }],
      ['{question} / {text} / {text}', 'x', { question: 'y' }],
      ['q: {missing} {text}', 'x', {}],
      ['prefix ', 'x', {}],
      ['{question} only', 'x', { question: 'why' }],
    ];
    const py = withTrainModule(`print(json.dumps([train.apply_template(t, x, f) for t, x, f in ${JSON.stringify(cases)}]))`);
    expect(py).toEqual(cases.map(([t, x, f]) => applyTemplate(t, x, f)));
  });

  it("scores generated answers in compute_metrics: padding dropped, decoded, compared with each row's target text", () => {
    // A stand-in tokenizer: id 0 pads, 1 ends, any other id n decodes to the word "wn".
    const py = withTrainModule(`
class Tokenizer:
    pad_token_id = 0
    def batch_decode(self, rows, skip_special_tokens=True):
        return [" ".join(f"w{i}" for i in row if i > 1) + " " for row in rows]
class Prediction:
    predictions = [[5, 6, 1, -100], [7, 1, -100, -100], [9, 9, 1, 0]]
truth = [["The W5, w6.", "w8", "w9"]]
print(json.dumps(train.generated_answers(Tokenizer(), truth)(Prediction())))`) as Record<string, number>;
    // w5 w6 matches "The W5, w6."; w7 vs w8 scores 0; "w9 w9" vs "w9": P 1/2, R 1, F1 2/3
    expect(py.exact_match).toBeCloseTo(1 / 3, 12);
    expect(py.accuracy).toBe(py.exact_match);
    expect(py.f1).toBeCloseTo((1 + 0 + 2 / 3) / 3, 12);
  });

  it("feeds the Trainer each row's own answer, and the longest target bounds generation", () => {
    // A stand-in tokenizer: one id per word plus </s>; truncation keeps </s> last.
    const out = withTrainModule(`
class Tokenizer:
    def __call__(self, text, truncation=False, max_length=None):
        ids = [len(w) + 10 for w in text.split()] + [1]
        if truncation and max_length and len(ids) > max_length:
            ids = ids[:max_length - 1] + [1]
        return {"input_ids": ids}
task = {"kind": "text", "labels": [], "targetTexts": [], "template": "q: {question} c: {text}", "fields": ["question"], "initTexts": ["a b", "c"]}
rows = {"train": [("ctx number one", "ans", {"question": "why"})], "validation": [("ctx two", "a longer answer", {"question": "how"})]}
data = train.task_data(task, rows, Tokenizer(), 6)
rows_, answers = data["evaluate"]("validation")
print(json.dumps({"train": data["train"], "validation": rows_, "answers": answers, "longest": data["longest"], "init": data["init_texts"]}))`) as Record<string, unknown>;
    // "q: why c: ctx number one" is 6 words and </s>: cut to 5 ids and </s>
    expect(out.train).toEqual([{ input_ids: [12, 13, 12, 13, 16, 1], labels: [13, 1] }]);
    expect(out.validation).toEqual([{ input_ids: [12, 13, 12, 13, 13, 1], labels: [11, 16, 16, 1] }]);
    expect(out.answers).toEqual(['a longer answer']);
    expect(out.longest).toBe(4);
    expect(out.init).toEqual(['a b', 'c']);
  });

  it('still ranks every label text for each validation row of a classification task (unknown labels left out)', () => {
    const out = withTrainModule(`
class Tokenizer:
    def __call__(self, text, truncation=False, max_length=None):
        return {"input_ids": [len(w) + 10 for w in text.split()] + [1]}
task = {"labels": ["1", "0"], "targetTexts": ["good", "bad"], "template": "{text}"}
rows = {"train": [("a", "1", {}), ("bb", "0", {})], "validation": [("ccc", "0", {}), ("dd", "9", {})]}
data = train.task_data(task, rows, Tokenizer(), 8)
rows_, truth = data["evaluate"]("validation")
print(json.dumps({"train": data["train"], "validation": rows_, "truth": truth, "labels": data["num_labels"], "init": data["init_texts"]}))`) as Record<string, unknown>;
    expect(out.train).toEqual([{ input_ids: [11, 1], labels: [14, 1] }, { input_ids: [12, 1], labels: [13, 1] }]);
    expect(out.validation).toEqual([{ input_ids: [13, 1], labels: [14, 1] }, { input_ids: [13, 1], labels: [13, 1] }]);
    expect(out).toMatchObject({ truth: [1], labels: 2, init: ['good', 'bad'] });
  });

  it('writes adapter metadata the studio reads back as a text-to-text prompt, with exact match and F1', () => {
    const P = 2;
    const D = 4;
    const bytes = withTrainModule(`
import struct
recipe = {"task": {"kind": "text", "labels": [], "targetTexts": [], "template": "${template}"}, "model": {"id": "google/flan-t5-base", "dModel": ${D}}, "settings": {"init": "labels"}}
meta = train.studio_metadata(recipe, 30, {"step": 20, "accuracy": 0.5, "loss": 1.25, "f1": 0.75})
header = json.dumps({"__metadata__": meta, "prompt_embeddings": {"dtype": "F32", "shape": [${P}, ${D}], "data_offsets": [0, ${4 * P * D}]}}).encode()
print(json.dumps(list(struct.pack("<Q", len(header)) + header + struct.pack("<${P * D}f", *range(${P * D})))))`) as number[];
    const imported = importPrompt([
      { name: 'adapter_model.safetensors', bytes: Uint8Array.from(bytes) },
      { name: 'adapter_config.json', bytes: new TextEncoder().encode(JSON.stringify(peftConfig(P, D, { base_model_name_or_path: 'google/flan-t5-base' }))) },
    ]);
    expect(imported.metadata).toMatchObject({ task: 'text', template, steps: 30, validation: { accuracy: 0.5, loss: 1.25, f1: 0.75 } });
    expect(imported.metadata.labels).toBeUndefined();
    expect(imported.notes).toEqual([]);
  });
});
