/**
 * The held-out tasks on which the demo model's prompt tuning is measured (the learning test and
 * `npm run bench:learn`). Neither was seen by pretraining (scripts/demo-model/prepare.py, splits.json):
 *  - spam: SpamAssassin emails held out of pretraining, "subject — first words"; prompts train on
 *    the studio's demo CSV (public/demo-data/spam.csv) and are tested on heldout/spam-test.csv.
 *  - rt-polarity: Pang & Lee's movie-review sentences; prompts train on 1,000 and are tested on
 *    1,000 others, with the label words "great" / "terrible", which pretraining never used as
 *    targets. The text is "for personal use" and never committed: it is read from Debian's
 *    python3-pattern package, fetched here with apt-get when missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { readLabeledCsv } from '../../src/core/data/dataset';
import type { LabeledExample, TaskSpec } from '../../src/core/task/task';
import { taskFromExamples } from '../../src/core/task/taskFormat';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '../..');
export const DEMO_MODEL_DIR = path.join(REPO_ROOT, 'public/demo-model');
const PATTERN_CORPORA = 'usr/share/doc/python3-pattern/test/corpora';
const CACHE = path.join(REPO_ROOT, 'build/demo-model/packages/deb/python3-pattern');

export interface HeldOutTask {
  name: string;
  train: LabeledExample[];
  test: LabeledExample[];
  task: TaskSpec;
}

function csvExamples(file: string): LabeledExample[] {
  return readLabeledCsv(new Uint8Array(readFileSync(file))).examples;
}

export function spamTask(): HeldOutTask {
  const train = csvExamples(path.join(REPO_ROOT, 'public/demo-data/spam.csv'));
  const test = csvExamples(path.join(HERE, 'heldout/spam-test.csv'));
  return { name: 'spam', train, test, task: taskFromExamples(train, { labels: ['ham', 'spam'], maxInputTokens: 64 }) };
}

function run(cmd: string, args: string[], cwd: string): { ok: boolean; detail: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, detail: (r.error?.message ?? r.stderr ?? '').trim().split('\n').pop() ?? '' };
}

/** The folder holding the pattern corpora: installed, cached, or fetched now with apt-get download. */
export function patternCorpora(): string {
  for (const root of ['/', CACHE]) if (existsSync(path.join(root, PATTERN_CORPORA, 'polarity-en-pang&lee2.csv'))) return path.join(root, PATTERN_CORPORA);
  const how = 'apt-get update && apt-get download python3-pattern && dpkg-deb -x python3-pattern_*.deb ' + CACHE;
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  let got = run('apt-get', ['download', 'python3-pattern'], CACHE);
  if (!got.ok && process.getuid?.() === 0) {
    // A fresh machine has no package lists yet.
    run('apt-get', ['update', '-qq'], CACHE);
    got = run('apt-get', ['download', 'python3-pattern'], CACHE);
  }
  const deb = readdirSync(CACHE).find((f) => f.startsWith('python3-pattern_') && f.endsWith('.deb'));
  if (!got.ok || !deb) throw new Error(`The rt-polarity sentences come from Debian's python3-pattern package, which could not be fetched (${got.detail}). Fetch it with:\n  ${how}`);
  const unpacked = run('dpkg-deb', ['-x', deb, '.'], CACHE);
  if (!unpacked.ok) throw new Error(`dpkg-deb could not unpack ${deb} (${unpacked.detail}). Unpack it with:\n  ${how}`);
  rmSync(path.join(CACHE, deb));
  return path.join(CACHE, PATTERN_CORPORA);
}

interface Splits {
  rt_polarity: { file: string; prompt_train: number[]; test: number[] };
}

export const RT_LABEL_WORDS: Record<string, string> = { positive: 'great', negative: 'terrible' };

export function rtPolarityTask(): HeldOutTask {
  const splits = JSON.parse(readFileSync(path.join(HERE, 'splits.json'), 'utf8')) as Splits;
  const text = readFileSync(path.join(patternCorpora(), splits.rt_polarity.file), 'utf8').replace(/^\uFEFF/, '');
  // The file has no header: label (1 / -1), sentence.
  const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  if (rows.length !== 4000) throw new Error(`expected 4,000 rt-polarity sentences, found ${rows.length}: is python3-pattern a different version?`);
  const pick = (ids: number[]) => ids.map((i) => ({ text: rows[i]![1]!.trim(), label: rows[i]![0] === '1' ? 'positive' : 'negative' }));
  const train = pick(splits.rt_polarity.prompt_train);
  return { name: 'rt-polarity', train, test: pick(splits.rt_polarity.test), task: taskFromExamples(train, { labels: ['negative', 'positive'], rename: RT_LABEL_WORDS, maxInputTokens: 64 }) };
}
