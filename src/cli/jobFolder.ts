/**
 * Writing a job's files as one folder, all or nothing: they go to a hidden folder beside --out and
 * are renamed into place at the end, so a failure (a full disk, a refused input) leaves no half job.
 */
import { mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JobFile } from '../core/job/jobFiles';
import { CliError } from './cliError';

/** Refuse an --out that holds anything: a job folder is written whole, never merged into another. */
export async function checkJobFolder(out: string): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new CliError(`--out ${out} is a file; give a new folder for the job`);
  if ((await readdir(out)).length > 0) throw new CliError(`--out ${out} already exists and is not empty; give a new folder (nothing was written)`);
}

export async function writeJobFolder(out: string, files: JobFile[]): Promise<void> {
  await checkJobFolder(out);
  const target = path.resolve(out);
  await mkdir(path.dirname(target), { recursive: true });
  const partial = await mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.partial-`));
  try {
    for (const file of files) {
      const full = path.join(partial, ...file.path.split('/'));
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, file.bytes);
    }
    // An empty --out folder made beforehand is replaced by the finished one.
    await rmdir(target).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await rename(partial, target);
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    throw e;
  }
}
