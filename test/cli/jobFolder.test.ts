/**
 * A job folder is written whole or not at all: the files go to a hidden folder beside --out and are
 * renamed into place at the end. A write that fails midway (here a file where a folder must go)
 * leaves neither --out nor the hidden folder; an empty --out made beforehand is left as it was.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeJobFolder } from '../../src/cli/jobFolder';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('writeJobFolder', () => {
  it('writes every file under --out', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'job-folder-'));
    const out = path.join(work, 'job');
    await writeJobFolder(out, [{ path: 'train.py', bytes: bytes('print(1)\n') }, { path: 'data/train.csv', bytes: bytes('text,label\n') }]);
    expect(readFileSync(path.join(out, 'data', 'train.csv'), 'utf8')).toBe('text,label\n');
    expect(readdirSync(work)).toEqual(['job']);
  });

  it('leaves nothing half-written when a write fails midway', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'job-folder-'));
    const out = path.join(work, 'job');
    // The third file needs "data" to be a folder, but the second made it a file: the write fails after two files exist.
    const files = [{ path: 'train.py', bytes: bytes('x') }, { path: 'data', bytes: bytes('y') }, { path: 'data/train.csv', bytes: bytes('z') }];
    await expect(writeJobFolder(out, files)).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(readdirSync(work)).toEqual([]);

    const made = path.join(work, 'made');
    mkdirSync(made);
    await expect(writeJobFolder(made, files)).rejects.toThrow();
    expect(readdirSync(work)).toEqual(['made']);
    expect(readdirSync(made)).toEqual([]);
    expect(existsSync(path.join(made, 'train.py'))).toBe(false);
  });
});
