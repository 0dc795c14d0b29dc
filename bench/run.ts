/**
 * `npm run bench`: the performance benchmark (bench/README.md). Starts a Vite server for the bench
 * page (bench/index.html + bench/page.ts) with COOP/COEP headers, so the page is cross-origin
 * isolated and the WASM backend gets SIMD + threads; launches Chromium headless with the same flags
 * as the tests (tools/chromium.ts: WebGPU on SwiftShader); opens one fresh page per backend; runs
 * the PyTorch peer (bench/peer_pytorch.py); prints tables; writes bench/results/latest.json.
 *
 * bench/perf/: options.ts (flags, shapes, budgets), server.ts, pageDriver.ts (one page per backend),
 * measure.ts (what runs, in order), peer.ts (PyTorch), report.ts (tables, JSON).
 *
 * Options:
 *   --backends=webgpu,webgl,wasm,cpu   which backends get the training-step measurement
 *   --only=step                        only the per-backend step (no scaling/scoring/memory/leak/vocabulary)
 *   --only=vocabulary                  only the vocabulary views (atlas, neighbours, map) on each of --backends; writes bench/results/vocabulary.json
 *   --jobs=scaling,scoring,memory,leak,vocabulary,profile   what runs on the fastest backend afterwards (default: all but profile)
 *   --on=BACKEND                       run those on this backend instead of the fastest (e.g. --backends=none --on=wasm)
 *   --profile                          also print a per-kernel profile of one step
 *   --no-peer                          skip the PyTorch peer
 *   --shape=B,L,P                      batch, input length, prompt length of the main step (default 8,64,20)
 *   --memory-batch=N                   batch of the memory-goal step (default 32; another is extrapolated to 32)
 *   --quick                            fewer repetitions and steps (a smoke run)
 *   --wasm-threads=N                   XNNPACK threads for WASM (default: every core)
 *   --matmul                           only the matmul micro-benchmark (transposeB vs pre-transposed weights) per backend
 *   --wasm-no-threads                  WASM without threads (the single-threaded SIMD build), for comparison
 *   --out=PATH                         where to write the JSON (default bench/results/latest.json)
 */
import { chromiumPath } from '../tools/chromium.ts';
import { measure, measureMatMul, measureVocabulary } from './perf/measure.ts';
import { parseOptions } from './perf/options.ts';
import { launchBrowser } from './perf/pageDriver.ts';
import { printReport, printVocabulary, writeResults, writeVocabularyResults } from './perf/report.ts';
import { startServer } from './perf/server.ts';
import { buildAndMeasureFirstLoad, FIRST_LOAD_BUDGET, formatKb } from '../tools/firstLoad.ts';

async function main(): Promise<void> {
  const started = Date.now();
  const opts = parseOptions(process.argv.slice(2));
  const executablePath = chromiumPath();
  const { server, url } = await startServer();
  const browser = await launchBrowser(executablePath);
  console.log(`bench page ${url} — Chromium ${executablePath}`);
  try {
    if (opts.matmul) return await measureMatMul(browser, url, opts);
    if (opts.vocabularyOnly) {
      const rows = await measureVocabulary(browser, url, opts);
      printVocabulary(rows);
      return writeVocabularyResults(rows, opts, executablePath, started);
    }
    const results = await measure(browser, url, opts);
    printReport(results, opts);
    writeResults(results, opts, executablePath, started);
    await printFirstLoad();
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The page's first load (issue #18 goal 2; details: npm run bench:load). */
async function printFirstLoad(): Promise<void> {
  try {
    const load = await buildAndMeasureFirstLoad();
    console.log(`\nFirst load: ${formatKb(load.gzipBytes)} gzip of JS + CSS before first paint (budget ${formatKb(FIRST_LOAD_BUDGET)}; ${load.assets.map((a) => a.path).join(', ')})`);
  } catch (e) {
    console.log(`\nFirst load: not measured, the build failed: ${(e as Error).message.split('\n')[0]}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
