/**
 * The shape of src/: no import cycles (type-only imports and re-exports count: a cycle of types
 * still ties two modules together), and no source file longer than MAX_LINES, so a file that
 * grows past it is split before it becomes the place everything lands in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const MAX_LINES = 360;

/** Every .ts/.tsx file under src/, as absolute paths. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const files = sourceFiles(SRC).sort();
const known = new Set(files);
const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');

/** The src/ file a relative specifier names (Vite's `?worker`/`?url` suffixes dropped), or undefined for packages and non-code files. */
function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier.replace(/\?.*$/, ''));
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')].find((f) => known.has(f));
}

/** Lines as `wc -l` counts them, plus an unterminated last line. */
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** file → the src/ files it imports or re-exports from (static, type-only and dynamic imports). */
const graph = new Map(
  files.map((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((i) => resolve(file, i.fileName)).filter((f): f is string => f !== undefined);
    return [file, [...new Set(targets)]];
  }),
);

/** The strongly connected components with more than one file, or one file importing itself (Tarjan). */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(rel(w));
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return found;
}

describe('src/ architecture', () => {
  it('reads the import graph (sanity: it finds files and edges)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get(path.join(SRC, 'app/data/DataPanel.tsx'))).toContain(path.join(SRC, 'app/data/datasetChoice.ts'));
  });

  it('has no import cycles', () => {
    expect(cycles()).toEqual([]);
  });

  it(`has no .ts/.tsx file over ${MAX_LINES} lines`, () => {
    // Only the files over the limit are listed, with their length, so a failure names what to split.
    const tooLong = files
      .map((file) => ({ file: rel(file), lines: lineCount(readFileSync(file, 'utf8')) }))
      .filter((f) => f.lines > MAX_LINES);
    expect(tooLong).toEqual([]);
  });
});
