/**
 * `npm run bench`: the performance benchmark. Starts a Vite server for the bench page
 * (bench/index.html + bench/page.ts) with COOP/COEP headers, so the page is cross-origin isolated
 * and the WASM backend gets SIMD + threads; launches the system Chromium headless with the same
 * flags as the tests (test/chromium.ts: WebGPU on SwiftShader); opens one fresh page per backend;
 * runs the PyTorch peer (bench/peer_pytorch.py); prints tables; writes bench/results/latest.json.
 *
 * Options:
 *   --backends=webgpu,webgl,wasm,cpu   which backends get the training-step measurement
 *   --only=step                        only the per-backend step (no scaling/scoring/memory/leak)
 *   --jobs=scaling,scoring,memory,leak,profile   what runs on the fastest backend afterwards (default: all but profile)
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
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { chromiumArgs, chromiumPath } from '../test/chromium.ts';
import type { BackendInfo, BenchBackend, Job, JobResult, LeakResult, MatMulResult, ProfileResult, ScoreResult, StepResult, StepShape } from './types.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.resolve(benchDir, '..');
const wasmDir = path.join(repoDir, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const QUICK = flag('quick');
type Phase2Job = 'scaling' | 'scoring' | 'memory' | 'leak' | 'profile';
/** What runs on the fastest backend after the per-backend step: all but the profile unless --jobs says. */
const PHASE2: Phase2Job[] =
  option('only') === 'step' ? (flag('profile') ? ['profile'] : []) : ((option('jobs')?.split(',') as Phase2Job[] | undefined) ?? ['scaling', 'scoring', 'memory', 'leak', ...(flag('profile') ? (['profile'] as const) : [])]);
const ALL_BACKENDS: BenchBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const BACKENDS = ((option('backends')?.split(',') as BenchBackend[] | undefined) ?? ALL_BACKENDS).filter((b) => ALL_BACKENDS.includes(b));
const OUT = option('out') ?? path.join(benchDir, 'results', 'latest.json');

/** The measured shape: batch 8, 64 input tokens, a 20-token prompt (two-token targets). */
const MAIN: StepShape = ((s) => (s ? { batch: s[0]!, inputLength: s[1]!, promptLength: s[2]! } : { batch: 8, inputLength: 64, promptLength: 20 }))(option('shape')?.split(',').map(Number));
/**
 * The memory goal is batch 32 × 128 tokens with a 100-token prompt (< 2 GB), measured directly: the
 * trainer runs it as passes of at most maxTokensPerPass tokens. --memory-batch=N measures another
 * batch and extrapolates linearly to 32.
 */
const MEMORY_GOAL: StepShape = { batch: 32, inputLength: 128, promptLength: 100 };
const MEMORY_SHAPE: StepShape = { ...MEMORY_GOAL, batch: Number(option('memory-batch') ?? 32) };
/** The flat-memory check runs 100 steps: a smaller batch keeps it to about a minute. */
const LEAK_SHAPE: StepShape = { batch: 2, inputLength: 32, promptLength: 20 };

/**
 * Per-backend repetitions and time budgets (ms). On this kind of machine (2 cores, SwiftShader)
 * CPU and WebGL are very slow for this model: fewer repetitions, and a hard stop.
 */
const PLAN: Record<BenchBackend, { reps: number; budgetMs: number }> = {
  webgpu: { reps: QUICK ? 1 : 5, budgetMs: QUICK ? 60_000 : 330_000 },
  webgl: { reps: QUICK ? 1 : 5, budgetMs: QUICK ? 60_000 : 120_000 },
  wasm: { reps: QUICK ? 2 : 7, budgetMs: QUICK ? 60_000 : 120_000 },
  cpu: { reps: QUICK ? 1 : 5, budgetMs: QUICK ? 60_000 : 170_000 },
};
/** Back-to-back rounds of the fastest backend and the peer, for the ratio. */
const PAIRED_ROUNDS = 3;
/** Extra time the page gets past its own budget (the first step and model build always run) before it is closed. */
const GRACE_MS = 120_000;

const LABEL: Record<BenchBackend, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU (JS)' };

// ---------------------------------------------------------------- server

/** COOP/COEP on every response (cross-origin isolation → SharedArrayBuffer → WASM threads), and the .wasm files. */
function isolationAndWasm(): Plugin {
  return {
    name: 'bench-isolation-and-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
        const url = req.url?.split('?')[0] ?? '';
        if (url.startsWith('/tfjs-wasm/')) {
          const file = path.join(wasmDir, path.basename(url));
          if (!file.endsWith('.wasm') || !existsSync(file)) {
            res.statusCode = 404;
            res.end();
            return;
          }
          res.setHeader('Content-Type', 'application/wasm');
          createReadStream(file).pipe(res);
          return;
        }
        next();
      });
    },
  };
}

async function startServer(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    root: benchDir,
    configFile: false,
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, fs: { allow: [repoDir] }, hmr: false, watch: null },
    optimizeDeps: {
      entries: [path.join(benchDir, 'index.html')],
      include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'],
    },
    plugins: [isolationAndWasm()],
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the bench server did not report its URL');
  return { server, url };
}

// ---------------------------------------------------------------- page driving

const SKIPPED = 'skipped (over budget)';

class OverBudget extends Error {}

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

interface BackendPage {
  page: Page;
  info: BackendInfo;
  run<R extends JobResult>(job: Job, timeoutMs: number): Promise<R>;
  close(): Promise<void>;
}

/** XNNPACK threads for WASM: every core (the backend's own default is half of them). */
const WASM_THREADS = Number(option('wasm-threads') ?? cpus().length);

async function openBackend(browser: Browser, url: string, backend: BenchBackend): Promise<BackendPage> {
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
    page.evaluate(([b, threads, noThreads]) => window.bench.init(b, { wasmThreads: threads, wasmNoThreads: noThreads }), [backend, WASM_THREADS, flag('wasm-no-threads')] as const),
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

// ---------------------------------------------------------------- formatting

const fmtMs = (ms?: number) => (ms === undefined ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const fmtMB = (b?: number) => (b === undefined ? '—' : `${(b / 2 ** 20).toFixed(0)} MiB`);
const fmtNum = (x?: number, digits = 0) => (x === undefined ? '—' : x.toFixed(digits));

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** The goal shape's peak: measured when the step ran at batch 32, else resident + the step's own memory scaled by the batch. */
function estimateGoal(r: StepResult): { peakBytes: number; measured: boolean } {
  const m = r.memory;
  if (r.shape.batch === MEMORY_GOAL.batch) return { peakBytes: m.peakTensorBytes, measured: true };
  return { peakBytes: m.residentBytes + ((m.peakTensorBytes - m.residentBytes) * MEMORY_GOAL.batch) / r.shape.batch, measured: false };
}

// ---------------------------------------------------------------- peer

interface PeerResult {
  impl: string;
  medianMs: number;
  tokensPerSecond: number;
  firstStepMs: number;
  timesMs: number[];
  maxRssBytes: number;
}

function runPeer(): PeerResult | string {
  const python = '/usr/bin/python3';
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    return 'PyTorch not installed — skipped (apt-get install python3-torch libopenblas0-pthread)';
  }
  console.log('\nPyTorch peer (bench/peer_pytorch.py) …');
  const r = spawnSync(
    python,
    [path.join(benchDir, 'peer_pytorch.py'), '--threads', '2', '--batch', String(MAIN.batch), '--input-length', String(MAIN.inputLength), '--prompt-length', String(MAIN.promptLength), '--reps', QUICK ? '2' : '5'],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (r.status !== 0) return `PyTorch peer failed: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`;
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as PeerResult;
}

// ---------------------------------------------------------------- machine

function machine() {
  const cpu = cpus();
  let chromiumVersion = '';
  try {
    chromiumVersion = execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    /* unknown */
  }
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryBytes: totalmem(),
    os: `${osType()} ${release()}`,
    node: process.version,
    chromium: chromiumVersion,
    chromiumArgs,
  };
}

// ---------------------------------------------------------------- main

interface BackendRow {
  backend: BenchBackend;
  info?: BackendInfo;
  step?: StepResult;
  status?: string;
}

async function main(): Promise<void> {
  const started = Date.now();
  const { server, url } = await startServer();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  console.log(`bench page ${url} — Chromium ${chromiumPath}`);
  const rows: BackendRow[] = [];
  const results: Record<string, unknown> = {};
  try {
    if (flag('matmul')) {
      const out: string[][] = [];
      for (const backend of BACKENDS) {
        const bp = await openBackend(browser, url, backend);
        console.log(`${LABEL[backend]}: ${JSON.stringify(bp.info)}`);
        try {
          for (const [m, k, n] of [[672, 512, 1024], [672, 1024, 512], [672, 512, 384], [672, 384, 512], [16, 512, 32128]] as const) {
            const r = await bp.run<MatMulResult>({ kind: 'matmul', m, k, n, reps: QUICK ? 2 : 5 }, 300_000);
            const gflops = (ms: number) => ((2 * m * k * n) / ms / 1e6).toFixed(1);
            out.push([LABEL[backend], `[${m},${k}]·[${k},${n}]`, `${r.transposeB.toFixed(1)} (${gflops(r.transposeB)})`, `${r.preTransposed.toFixed(1)} (${gflops(r.preTransposed)})`, `${r.backwardDx.toFixed(1)} (${gflops(r.backwardDx)})`]);
            console.log(out.at(-1)!.join('  '));
          }
        } finally {
          await bp.close();
        }
      }
      console.log(table(['backend', 'x·W', 'transposeB ms (GFLOP/s)', 'pre-transposed ms (GFLOP/s)', 'backward dY·W ms (GFLOP/s)'], out));
      return;
    }
    // 1. One training step per backend, each in its own page.
    for (const backend of BACKENDS) {
      const { reps, budgetMs } = PLAN[backend];
      console.log(`\n${LABEL[backend]}: training step, batch ${MAIN.batch} × (${MAIN.inputLength} + ${MAIN.promptLength}) tokens …`);
      const row: BackendRow = { backend };
      rows.push(row);
      let bp: BackendPage | undefined;
      try {
        bp = await openBackend(browser, url, backend);
        row.info = bp.info;
        row.step = await bp.run<StepResult>({ kind: 'step', shape: MAIN, reps, budgetMs }, budgetMs + GRACE_MS);
        if (row.step.medianMs === undefined) row.status = `${SKIPPED}: first step ${fmtMs(row.step.firstStepMs)} used the budget`;
      } catch (e) {
        row.status = e instanceof OverBudget ? `${SKIPPED}: ${e.message}` : `unavailable: ${(e as Error).message.split('\n')[0]}`;
        console.log(`    ${row.status}`);
      } finally {
        await bp?.close();
      }
    }

    const measured = rows.filter((r) => r.step?.medianMs !== undefined);
    const fastest = measured.sort((a, b) => a.step!.medianMs! - b.step!.medianMs!)[0];
    const peer = flag('no-peer') ? 'skipped (--no-peer)' : runPeer();

    // 1b. The ratio that matters, robust to this kind of machine's drift (±10% between minutes):
    // the fastest backend and the peer measured back to back, a few times.
    const paired: Array<{ backendMs: number; peerMs: number; ratio: number }> = [];
    if (fastest && typeof peer !== 'string') {
      const rounds = QUICK ? 1 : PAIRED_ROUNDS;
      console.log(`
Paired rounds: ${LABEL[fastest.backend]} and PyTorch back to back, ${rounds} times …`);
      for (let round = 0; round < rounds; round++) {
        let bp: BackendPage | undefined;
        try {
          bp = await openBackend(browser, url, fastest.backend);
          const step = await bp.run<StepResult>({ kind: 'step', shape: MAIN, reps: PLAN[fastest.backend].reps, budgetMs: PLAN[fastest.backend].budgetMs }, PLAN[fastest.backend].budgetMs + GRACE_MS);
          await bp.close();
          const other = runPeer();
          if (step.medianMs === undefined || typeof other === 'string') continue;
          paired.push({ backendMs: step.medianMs, peerMs: other.medianMs, ratio: other.medianMs / step.medianMs });
          console.log(`  round ${round + 1}: ${fmtMs(step.medianMs)} vs ${fmtMs(other.medianMs)}: ${(other.medianMs / step.medianMs).toFixed(2)}×`);
        } catch (e) {
          console.log(`  round ${round + 1}: ${(e as Error).message.split('\n')[0]}`);
        } finally {
          await bp?.close();
        }
      }
    }

    // 2. On the fastest backend: scaling, scoring, the memory goal, flat memory, (profile).
    let scalingInput: StepResult[] = [];
    let scalingPrompt: StepResult[] = [];
    let scoring: ScoreResult | string | undefined;
    let memoryGoal: StepResult | string | undefined;
    let leak: LeakResult | string | undefined;
    let profile: ProfileResult | string | undefined;
    const phase2Backend = (option('on') as BenchBackend | undefined) ?? fastest?.backend;
    const run2 = (job: Phase2Job) => PHASE2.includes(job);
    if (phase2Backend && PHASE2.length > 0) {
      const backend = phase2Backend;
      console.log(`\n${LABEL[backend]}${fastest?.backend === backend ? ` (the fastest: ${fmtMs(fastest.step!.medianMs)} per step)` : ''}: ${PHASE2.join(', ')} …`);
      let bp: BackendPage | undefined;
      // A job that runs over its budget (or crashes the page) closes the page: the next one gets a fresh page.
      const guarded = async <R extends JobResult>(what: string, job: Job, budgetMs: number): Promise<R | string> => {
        console.log(`  ${what}`);
        try {
          if (!bp || bp.page.isClosed()) bp = await openBackend(browser, url, backend);
          return await bp.run<R>(job, budgetMs + GRACE_MS);
        } catch (e) {
          const status = e instanceof OverBudget ? `${SKIPPED}: ${e.message}` : `failed: ${(e as Error).message.split('\n')[0]}`;
          console.log(`    ${status}`);
          await bp?.close();
          return status;
        }
      };
      try {
        if (run2('profile')) profile = await guarded<ProfileResult>('per-kernel profile of one step', { kind: 'profile', shape: MAIN, top: 25 }, 120_000);
        const reps = QUICK ? 1 : 3;
        if (run2('scaling')) {
          for (const inputLength of [32, 64, 128, 256]) {
            const r = await guarded<StepResult>(`step, input length ${inputLength}`, { kind: 'step', shape: { ...MAIN, inputLength }, reps, budgetMs: 60_000 }, 60_000);
            if (typeof r !== 'string') scalingInput.push(r);
          }
          for (const promptLength of [1, 20, 100]) {
            const r = await guarded<StepResult>(`step, prompt length ${promptLength}`, { kind: 'step', shape: { ...MAIN, promptLength }, reps, budgetMs: 60_000 }, 60_000);
            if (typeof r !== 'string') scalingPrompt.push(r);
          }
        }
        if (run2('scoring')) {
          scoring = await guarded<ScoreResult>('scoring: 32 examples × 5 prompts (scoreEnsemble) vs 1 prompt (scoreLabels)', { kind: 'score', examples: 32, prompts: 5, promptLength: 20, inputLength: 64, labels: 2, reps: QUICK ? 1 : 3, budgetMs: 120_000 }, 120_000);
        }
        if (run2('memory')) {
          // A fresh page, so the peak is this shape's alone.
          await bp?.close();
          memoryGoal = await guarded<StepResult>(`memory goal: batch ${MEMORY_SHAPE.batch} × ${MEMORY_SHAPE.inputLength} tokens, prompt ${MEMORY_SHAPE.promptLength}`, { kind: 'step', shape: MEMORY_SHAPE, reps: 0, budgetMs: 150_000 }, 150_000);
        }
        if (run2('leak')) {
          const leakSteps = QUICK ? 10 : 100;
          leak = await guarded<LeakResult>(`flat memory over ${leakSteps} steps (batch ${LEAK_SHAPE.batch} × (${LEAK_SHAPE.inputLength} + ${LEAK_SHAPE.promptLength}))`, { kind: 'leak', shape: LEAK_SHAPE, steps: leakSteps, budgetMs: 240_000 }, 240_000);
        }
      } finally {
        await bp?.close();
      }
    }

    // 3. Report.
    const peerTps = typeof peer === 'string' ? undefined : peer.tokensPerSecond;
    console.log(`\n## Training step — T5 v1.1 LM-adapted small shape (random weights), batch ${MAIN.batch}, ${MAIN.inputLength} input + ${MAIN.promptLength} prompt tokens, 2-token target, Adafactor`);
    console.log(`tokens/s = encoder tokens per step ((${MAIN.inputLength} + ${MAIN.promptLength}) × ${MAIN.batch} = ${(MAIN.inputLength + MAIN.promptLength) * MAIN.batch}) / median step time\n`);
    const stepRows = rows.map((r) => {
      const s = r.step;
      const extra = r.backend === 'wasm' && r.info ? ` (SIMD ${r.info.simd ? 'on' : 'off'}, threads ${r.info.threads ? `on ×${r.info.threadsCount}` : 'off'})` : '';
      const software = r.info?.adapter && /swiftshader|llvmpipe/i.test(r.info.adapter) ? ' (software adapter)' : '';
      const name = `${LABEL[r.backend]}${software}${extra}`;
      if (!s?.medianMs) return [name, fmtMs(s?.firstStepMs), r.status ?? '—', '—', '—', fmtMB(s?.memory.peakTensorBytes), fmtMB(s?.memory.backendBytes)];
      return [
        name,
        fmtMs(s.firstStepMs),
        `${fmtMs(s.medianMs)} (n=${s.timesMs.length})`,
        fmtNum(s.tokensPerSecond),
        peerTps ? `${(s.tokensPerSecond! / peerTps).toFixed(2)}×` : '—',
        fmtMB(s.memory.peakTensorBytes),
        fmtMB(s.memory.backendBytes),
      ];
    });
    if (typeof peer === 'string') stepRows.push(['PyTorch CPU (peer)', '—', peer, '—', '—', '—', '—']);
    else stepRows.push([`PyTorch ${peer.impl.split(' ')[1]} CPU, 2 threads (peer)`, fmtMs(peer.firstStepMs), `${fmtMs(peer.medianMs)} (n=${peer.timesMs.length})`, fmtNum(peer.tokensPerSecond), '1.00×', '—', `${fmtMB(peer.maxRssBytes)} RSS`]);
    console.log(table(['backend', 'first step', 'median step', 'tokens/s', 'vs PyTorch', 'peak tensors', 'backend memory'], stepRows));
    console.log('peak tensors: the most tensor data alive at once during the measurement (each buffer once), the ~300 MiB of frozen weights included; backend memory: WebGPU/WebGL bytes allocated on the device (buffer pool), WASM heap size.');
    for (const r of rows) if (r.step?.note) console.log(`${LABEL[r.backend]}: ${r.step.note}`);
    if (paired.length > 0) {
      const ratios = paired.map((p) => p.ratio).sort((a, b) => a - b);
      const median = ratios[Math.floor(ratios.length / 2)]!;
      console.log(`\n## ${LABEL[fastest!.backend]} vs PyTorch, measured back to back (${paired.length} rounds)\n`);
      console.log(table(['round', LABEL[fastest!.backend], 'PyTorch', 'tokens/s ratio'], paired.map((p, i) => [String(i + 1), fmtMs(p.backendMs), fmtMs(p.peerMs), `${p.ratio.toFixed(2)}×`])));
      console.log(`median ratio ${median.toFixed(2)}× (range ${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)}×; the step times drift ±10% between minutes on a shared VM, so the pairs are the ratio to quote)`);
    }

    if (phase2Backend && PHASE2.some((j) => j !== 'profile')) {
      const name = LABEL[phase2Backend];
      const scaleRow = (s: StepResult) => [`${s.shape.inputLength}`, `${s.shape.promptLength}`, `${s.tokensPerStep}`, fmtMs(s.medianMs ?? s.firstStepMs), fmtNum(s.tokensPerSecond ?? (s.tokensPerStep * 1000) / s.firstStepMs), fmtMB(s.memory.peakTensorBytes)];
      console.log(`\n## Scaling on ${name} (batch ${MAIN.batch})\n`);
      console.log(table(['input length', 'prompt length', 'tokens/step', 'median step', 'tokens/s', 'peak tensors'], [...scalingInput, ...scalingPrompt.filter((s) => s.shape.promptLength !== MAIN.promptLength)].map(scaleRow)));
      console.log(`\n## Ensemble scoring on ${name}: 32 examples × 2 labels, prompt length 20, input length 64\n`);
      if (typeof scoring === 'object') {
        console.log(table(['what', 'median'], [
          ['1 prompt (scoreLabels)', fmtMs(scoring.singleMedianMs)],
          ['5 prompts in one pass (scoreEnsemble)', fmtMs(scoring.ensembleMedianMs)],
          ['ratio ensemble / single (goal ≤ 1.5×)', `${scoring.ratio.toFixed(2)}×`],
          ['ratio ensemble / 5 × single', `${scoring.ratioVsSequential.toFixed(2)}×`],
        ]));
      } else console.log(scoring ?? '—');
      console.log(`\n## Memory on ${name}\n`);
      if (typeof memoryGoal === 'object') {
        const m = memoryGoal.memory;
        const shape = `batch ${memoryGoal.shape.batch} × ${memoryGoal.shape.inputLength} tokens, prompt ${memoryGoal.shape.promptLength}`;
        console.log(`${shape}: peak ${fmtMB(m.peakTensorBytes)} of tensors (${fmtMB(m.residentBytes)} resident: weights ${fmtMB(m.weightBytes)}, cached transposes, prompt, optimiser; ${fmtMB(m.peakTensorBytes - m.residentBytes)} the step's own), backend ${fmtMB(m.backendBytes)}; one step ${fmtMs(memoryGoal.firstStepMs)}`);
        const goal = estimateGoal(memoryGoal);
        console.log(`batch ${MEMORY_GOAL.batch} × ${MEMORY_GOAL.inputLength} tokens, prompt ${MEMORY_GOAL.promptLength}: ${goal.measured ? 'peak' : 'estimated peak'} ${fmtMB(goal.peakBytes)} (goal < 2 GB: ${goal.peakBytes < 2e9 ? 'met' : 'NOT met'})${goal.measured ? '' : ` = resident + ${MEMORY_GOAL.batch / memoryGoal.shape.batch} × the step's own at batch ${memoryGoal.shape.batch}`}`);
      } else console.log(`batch ${MEMORY_SHAPE.batch} × ${MEMORY_SHAPE.inputLength} tokens, prompt ${MEMORY_SHAPE.promptLength}: ${memoryGoal ?? '—'}`);
      if (typeof leak === 'object') {
        console.log(`${leak.steps} steps: ${leak.before.numTensors} → ${leak.after.numTensors} tensors, ${leak.before.numBytes} → ${leak.after.numBytes} bytes: ${leak.flat ? 'flat' : 'NOT flat'}${leak.note ? ` (${leak.note})` : ''}`);
      } else console.log(`flat memory: ${leak ?? '—'}`);
    }
    if (typeof profile === 'object') {
      console.log(`\n## Profile of one step on ${LABEL[phase2Backend!]}: ${profile.kernelCount} kernels, ${fmtMs(profile.totalKernelMs)} in kernels, ${fmtMs(profile.wallMs)} wall (profiled)\n`);
      console.log(table(['kernel', 'ms', 'calls', 'share'], profile.byKernel.map((k) => [k.name, k.ms.toFixed(1), String(k.count), `${((100 * k.ms) / profile.totalKernelMs).toFixed(1)}%`])));
      console.log('\nby kernel and shapes (a custom-gradient unit shows as "forward", its kernels also on their own lines):');
      console.log(table(['kernel', 'ms', 'calls', 'inputs', 'outputs'], profile.slowest.map((k) => [k.name, k.ms.toFixed(1), String(k.count), k.inputShapes, k.outputShapes])));
    }

    Object.assign(results, {
      date: new Date().toISOString(),
      command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
      machine: { ...machine(), gpuAdapters: Object.fromEntries(rows.filter((r) => r.info?.adapter).map((r) => [r.backend, r.info!.adapter])) },
      model: 'T5 v1.1 LM-adapted small shape (d_model 512, d_kv 64, 6 heads, d_ff 1024, 8+8 layers, vocab 32128, gated-gelu, untied head), random weights',
      tokensPerSecondDefinition: 'encoder tokens per step, (input length + prompt length) × batch, divided by the median step time',
      dropoutRate: 0.1,
      shape: MAIN,
      backends: rows,
      fastest: fastest?.backend,
      peer,
      scaling: { inputLength: scalingInput, promptLength: scalingPrompt },
      paired,
      scoring,
      memoryGoal: typeof memoryGoal === 'object' ? { ...memoryGoal, goalShape: MEMORY_GOAL, goal: estimateGoal(memoryGoal) } : memoryGoal,
      leak,
      profile,
      wallSeconds: (Date.now() - started) / 1000,
    });
    mkdirSync(path.dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), OUT)} (${((Date.now() - started) / 60000).toFixed(1)} min)`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
