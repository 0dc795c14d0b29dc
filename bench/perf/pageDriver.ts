/**
 * Driving the bench page in headless Chromium: one fresh page per backend (so each backend's memory
 * peaks are its own), `bench.init(backend)`, then `bench.run(job)` per measurement, each under a
 * time budget after which the page is closed.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs } from '../../tools/chromium.ts';
import type { BackendInfo, BenchBackend, Job, JobResult } from '../types.ts';
import { LABEL } from './options.ts';

export const SKIPPED = 'skipped (over budget)';

export class OverBudget extends Error {}

/** Chromium with the same flags as the tests (tools/chromium.ts: WebGPU on SwiftShader). */
export function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Promise<void>): Promise<T> {
  let timer: NodeJS.Timeout;
  let timedOut = false;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      void onTimeout().finally(() => reject(new OverBudget(`over ${Math.round(ms / 1000)} s`)));
    }, ms);
  });
  // Closing the page rejects the evaluation first: report that as over budget too.
  const guarded = p.catch((e: unknown) => {
    throw timedOut ? new OverBudget(`over ${Math.round(ms / 1000)} s`) : e;
  });
  return Promise.race([guarded, timeout]).finally(() => clearTimeout(timer));
}

export interface BackendPage {
  page: Page;
  info: BackendInfo;
  run<R extends JobResult>(job: Job, timeoutMs: number): Promise<R>;
  close(): Promise<void>;
}

export interface WasmSettings {
  /** XNNPACK threads for WASM. */
  wasmThreads: number;
  /** WASM without threads (the single-threaded SIMD build). */
  wasmNoThreads: boolean;
}

export async function openBackend(browser: Browser, url: string, backend: BenchBackend, wasm: WasmSettings): Promise<BackendPage> {
  const page = await browser.newPage();
  page.on('response', (r) => {
    if (r.status() >= 400) console.log(`    ${LABEL[backend]}: HTTP ${r.status()} ${r.url()}`);
  });
  page.setDefaultTimeout(0);
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('[bench]')) console.log(`    ${LABEL[backend]}: ${text.slice(8)}`);
    else if (m.type() === 'error') console.log(`    ${LABEL[backend]} console error: ${text.slice(0, 300)}`);
  });
  page.on('pageerror', (e) => console.log(`    ${LABEL[backend]} page error: ${e.message}`));
  // A WASM abort (e.g. out of its 4 GB of memory) or a renderer crash leaves the evaluation hanging: fail it now.
  let fail: (e: Error) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => (fail = reject));
  failure.catch(() => undefined);
  page.on('crash', () => fail(new Error('the page crashed (out of memory?)')));
  page.on('console', (m) => {
    if (/Aborted\(|out of memory/i.test(m.text())) fail(new Error(`WASM aborted: ${m.text().slice(0, 200)}`));
  });
  const close = async () => {
    if (!page.isClosed()) await page.close().catch(() => undefined);
  };
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { bench?: unknown }).bench !== undefined, undefined, { timeout: 180_000 });
  const info = await withTimeout(
    page.evaluate(([b, threads, noThreads]) => window.bench.init(b, { wasmThreads: threads, wasmNoThreads: noThreads }), [backend, wasm.wasmThreads, wasm.wasmNoThreads] as const),
    300_000,
    close,
  );
  return {
    page,
    info,
    run: <R extends JobResult>(job: Job, timeoutMs: number) => withTimeout(Promise.race([page.evaluate((j) => window.bench.run(j), job) as Promise<R>, failure]), timeoutMs, close),
    close,
  };
}
