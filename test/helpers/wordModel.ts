/**
 * A tiny fixture checkpoint plus the word-level tokenizer (test/fixtures/word-tokenizer-512), so
 * text-level paths (CLI, worker) can run on the reference weights: "w17 w42" encodes to [17, 42, 1].
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unpaddedInputs, type Expected, type FixtureName } from './fixtures';

export const fixturesDir = fileURLToPath(new URL('../fixtures', import.meta.url));

/** A temporary model folder: config.json, model.safetensors and tokenizer.json. */
export function wordModelDir(fixture: FixtureName): string {
  const dir = mkdtempSync(path.join(tmpdir(), `${fixture}-`));
  for (const f of ['config.json', 'model.safetensors']) copyFileSync(path.join(fixturesDir, fixture, f), path.join(dir, f));
  copyFileSync(path.join(fixturesDir, 'word-tokenizer-512', 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  return dir;
}

/** A word model's files as the studio hands them to the worker (a dropped folder). */
export function wordModelFiles(fixture: FixtureName): File[] {
  const dir = wordModelDir(fixture);
  return readdirSync(dir).map((name) => new File([readFileSync(path.join(dir, name))], name));
}

/** The text that encodes to these ids (without the final </s>); "∅" for an empty target. */
export function wordText(ids: number[]): string {
  const words = ids.filter((id) => id !== 1 && id !== -100).map((id) => `w${id}`);
  return words.length ? words.join(' ') : '∅';
}

/** The fixture batch as text rows: encoder text and label text. */
export function fixtureRows(e: Expected): Array<{ text: string; label: string }> {
  return unpaddedInputs(e).map((ids, i) => ({ text: wordText(ids), label: wordText(e.labels[i]!) }));
}
