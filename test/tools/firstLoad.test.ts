// The first load (issue #18 goal 2): what the built index.html makes a visitor download, gzip, within budget.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, FIRST_LOAD_BUDGET, formatKb, measureFirstLoad, referencedAssets } from '../../tools/firstLoad';

describe('referencedAssets', () => {
  it('takes module scripts, module preloads and stylesheets in document order, each once', () => {
    const html = `<!doctype html><html><head>
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <script type="module" crossorigin src="/assets/index-A1.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/vendor-B2.js">
      <link crossorigin href='./assets/index-C3.css' rel='stylesheet'>
      <link rel="preload" href="/assets/font.woff2" as="font">
      <link rel=stylesheet href=/assets/more.css?v=2>
      <script src="https://cdn.example.com/x.js"></script>
      <script src="//cdn.example.com/y.js"></script>
      <script>console.log('inline')</script>
      <script type="module" src="/assets/index-A1.js"></script>
    </head><body><div id="root"></div></body></html>`;
    expect(referencedAssets(html)).toEqual(['assets/index-A1.js', 'assets/vendor-B2.js', 'assets/index-C3.css', 'assets/more.css']);
  });

  it('finds nothing in a page without scripts or styles', () => {
    expect(referencedAssets('<html><head><title>x</title><link rel="icon" href="/i.svg"></head></html>')).toEqual([]);
  });
});

describe('measureFirstLoad', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'first-load-test-'));
    mkdirSync(join(dir, 'assets'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sums the gzip sizes of the referenced files only, and each compresses back to its file', () => {
    const js = 'export const a = 1;\n'.repeat(500);
    const css = 'body { color: red }\n'.repeat(200);
    writeFileSync(join(dir, 'assets', 'app.js'), js);
    writeFileSync(join(dir, 'assets', 'app.css'), css);
    writeFileSync(join(dir, 'assets', 'lazy.js'), 'x'.repeat(100_000)); // not referenced: must not count
    writeFileSync(join(dir, 'index.html'), '<script type="module" src="/assets/app.js"></script><link rel="stylesheet" href="/assets/app.css">');
    const load = measureFirstLoad(dir);
    expect(load.assets.map((a) => [a.path, a.bytes])).toEqual([['assets/app.js', js.length], ['assets/app.css', css.length]]);
    // Highly repetitive text: gzip is far smaller than the file but not empty.
    for (const a of load.assets) expect(a.gzipBytes).toBeGreaterThan(20), expect(a.gzipBytes).toBeLessThan(a.bytes / 10);
    expect(load.gzipBytes).toBe(load.assets[0]!.gzipBytes + load.assets[1]!.gzipBytes);
  });

  it('says to rebuild when index.html names a file that is missing', () => {
    writeFileSync(join(dir, 'index.html'), '<script type="module" src="/assets/gone.js"></script>');
    expect(() => measureFirstLoad(dir)).toThrow(/references assets\/gone\.js.*npm run build/);
  });

  it('formats kilobytes of 1,000 bytes', () => {
    expect(formatKb(178_612)).toBe('178.6 KB');
  });
});

describe('the built app', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'first-load-build-'));
    await buildApp(dir);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`loads at most ${FIRST_LOAD_BUDGET / 1000} KB of gzip JS and CSS before first paint, without TF.js`, () => {
    const load = measureFirstLoad(dir);
    const paths = load.assets.map((a) => a.path);
    // The page has its entry script and stylesheet (so the sum is not vacuously small).
    expect(paths.some((p) => p.endsWith('.js'))).toBe(true);
    expect(paths.some((p) => p.endsWith('.css'))).toBe(true);
    for (const a of load.assets) {
      const text = readFileSync(join(dir, a.path), 'utf8');
      // TF.js's engine defines registerBackend; it belongs in the training worker only.
      expect(text.includes('registerBackend('), `${a.path} contains TF.js`).toBe(false);
    }
    expect(load.gzipBytes, load.assets.map((a) => `${a.path} ${formatKb(a.gzipBytes)}`).join(', ')).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
    // The worker that trains still carries TF.js (the marker is real, not a string the build drops).
    const worker = readdirSync(join(dir, 'assets')).find((f) => /^trainingWorker-.*\.js$/.test(f));
    expect(worker).toBeDefined();
    expect(readFileSync(join(dir, 'assets', worker!), 'utf8')).toContain('registerBackend(');
    // Built as npm run build builds it: the policy is in the page.
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('Content-Security-Policy');
  });
});
