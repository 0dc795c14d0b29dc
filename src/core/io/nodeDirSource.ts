/** A model folder on disk, for the CLI and tests in Node. Kept apart so browser bundles never import node:fs. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSource } from './modelSource';

export function nodeDirSource(dir: string): ModelSource {
  return {
    description: `folder ${dir}`,
    async read(file) {
      try {
        const buf = await readFile(path.join(dir, file));
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}
