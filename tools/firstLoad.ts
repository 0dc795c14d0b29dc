/**
 * What a visitor downloads before the studio can paint: the scripts, module preloads and
 * stylesheets the built index.html names, gzip-compressed (level 9, as a static host or CDN
 * serves them). Workers, WASM binaries and lazily imported chunks load later and do not count.
 * Used by `npm run bench:load` (bench/firstLoad.ts) and its test (test/tools/firstLoad.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Issue #18's goal for the first load, in bytes (1 KB = 1,000 bytes, as Vite reports sizes). */
export const FIRST_LOAD_BUDGET = 200_000;

export interface LoadedAsset {
  path: string;
  bytes: number;
  gzipBytes: number;
}

export interface FirstLoad {
  assets: LoadedAsset[];
  gzipBytes: number;
}

/** `name="value"` or `name='value'` or a bare value, from one tag's attribute text. */
function attribute(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/**
 * The same-origin JS and CSS an index.html loads up front, in document order, each once:
 * `<script src>`, `<link rel="modulepreload">` and `<link rel="stylesheet">`. Other links (icons,
 * manifests) and absolute URLs to other hosts are not the app's bundle and are left out.
 */
export function referencedAssets(html: string): string[] {
  const found: string[] = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const isScript = /^<script/i.test(tag);
    const rel = (attribute(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const url = isScript ? attribute(tag, 'src') : rel.includes('modulepreload') || rel.includes('stylesheet') ? attribute(tag, 'href') : undefined;
    if (!url || /^(?:[a-z]+:)?\/\//i.test(url) || /^data:/i.test(url)) continue;
    const path = url.replace(/^\.?\//, '').replace(/[?#].*$/, '');
    if (!found.includes(path)) found.push(path);
  }
  return found;
}

/** Each referenced asset's size and gzip size in a built folder, and their gzip total. */
export function measureFirstLoad(distDir: string): FirstLoad {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const assets = referencedAssets(html).map((path) => {
    const file = join(distDir, path);
    if (!existsSync(file)) throw new Error(`index.html in ${distDir} references ${path}, which the build did not write. Rebuild with npm run build.`);
    const bytes = readFileSync(file);
    return { path, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  });
  return { assets, gzipBytes: assets.reduce((sum, a) => sum + a.gzipBytes, 0) };
}

const ROOT = resolve(import.meta.dirname, '..');

/** Builds the app as `npm run build` does (vite.config.ts, CSP included) into `outDir`, without the type-check. */
export async function buildApp(outDir: string, root = ROOT): Promise<void> {
  const { build } = await import('vite');
  // Under Vitest NODE_ENV is "test", which makes Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, mode: 'production', configFile: join(root, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/** Builds into a temporary folder, measures, and removes the folder. */
export async function buildAndMeasureFirstLoad(root = ROOT): Promise<FirstLoad> {
  const outDir = mkdtempSync(join(tmpdir(), 'first-load-'));
  try {
    await buildApp(outDir, root);
    return measureFirstLoad(outDir);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** "178.6 KB" (1 KB = 1,000 bytes). */
export function formatKb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}
