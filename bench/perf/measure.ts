/**
 * What `npm run bench` measures, in order: 1. one training step per backend, each in its own page;
 * 1b. the fastest backend and the PyTorch peer back to back; 2. on the fastest backend (or --on):
 * scaling, scoring, the memory goal, flat memory, the vocabulary views, the profile. And the --matmul
 * micro-benchmark, and --only=vocabulary (the vocabulary views on each backend).
 */
import type { Browser } from 'playwright-core';
import type { BackendInfo, BenchBackend, Job, JobResult, LeakResult, MatMulResult, ProfileResult, ScoreResult, StepResult, VocabularyResult } from '../types.ts';
import { GRACE_MS, LABEL, LEAK_SHAPE, PAIRED_ROUNDS, VOCABULARY_BUDGET_MS, VOCABULARY_JOB, type BenchOptions, type Phase2Job } from './options.ts';
import { openBackend, OverBudget, SKIPPED, type BackendPage } from './pageDriver.ts';
import { runPeer, type PeerResult } from './peer.ts';
import { fmtMs, table } from './report.ts';

export interface BackendRow {
  backend: BenchBackend;
  info?: BackendInfo;
  step?: StepResult;
  status?: string;
}

export interface Measurements {
  rows: BackendRow[];
  fastest?: BackendRow;
  peer: PeerResult | string;
  paired: Array<{ backendMs: number; peerMs: number; ratio: number }>;
  /** Where phase 2 ran: --on, else the fastest backend. */
  phase2Backend?: BenchBackend;
  scalingInput: StepResult[];
  scalingPrompt: StepResult[];
  scoring?: ScoreResult | string;
  memoryGoal?: StepResult | string;
  leak?: LeakResult | string;
  vocabulary?: VocabularyResult | string;
  profile?: ProfileResult | string;
}

export interface VocabularyRow {
  backend: BenchBackend;
  info?: BackendInfo;
  /** What was measured, or why not. */
  vocabulary: VocabularyResult | string;
}

const VOCABULARY_WHAT = `vocabulary: atlas, neighbours of ${VOCABULARY_JOB.promptLength} tokens, ${VOCABULARY_JOB.mapPoints.toLocaleString('en-US')}-point map`;

/** --only=vocabulary: the vocabulary views on each backend, each in its own page. */
export async function measureVocabulary(browser: Browser, url: string, opts: BenchOptions): Promise<VocabularyRow[]> {
  const rows: VocabularyRow[] = [];
  for (const backend of opts.backends) {
    console.log(`\n${LABEL[backend]}: ${VOCABULARY_WHAT} …`);
    let bp: BackendPage | undefined;
    try {
      bp = await openBackend(browser, url, backend, opts);
      rows.push({ backend, info: bp.info, vocabulary: await bp.run<VocabularyResult>(VOCABULARY_JOB, VOCABULARY_BUDGET_MS + GRACE_MS) });
    } catch (e) {
      const status = e instanceof OverBudget ? `${SKIPPED}: ${e.message}` : `unavailable: ${(e as Error).message.split('\n')[0]}`;
      console.log(`    ${status}`);
      rows.push({ backend, info: bp?.info, vocabulary: status });
    } finally {
      await bp?.close();
    }
  }
  return rows;
}

/** --matmul: x·W with a transposed vs a pre-transposed weight, and the backward product, per backend; prints its own table. */
export async function measureMatMul(browser: Browser, url: string, opts: BenchOptions): Promise<void> {
  const out: string[][] = [];
  for (const backend of opts.backends) {
    const bp = await openBackend(browser, url, backend, opts);
    console.log(`${LABEL[backend]}: ${JSON.stringify(bp.info)}`);
    try {
      for (const [m, k, n] of [[672, 512, 1024], [672, 1024, 512], [672, 512, 384], [672, 384, 512], [16, 512, 32128]] as const) {
        const r = await bp.run<MatMulResult>({ kind: 'matmul', m, k, n, reps: opts.quick ? 2 : 5 }, 300_000);
        const gflops = (ms: number) => ((2 * m * k * n) / ms / 1e6).toFixed(1);
        out.push([LABEL[backend], `[${m},${k}]·[${k},${n}]`, `${r.transposeB.toFixed(1)} (${gflops(r.transposeB)})`, `${r.preTransposed.toFixed(1)} (${gflops(r.preTransposed)})`, `${r.backwardDx.toFixed(1)} (${gflops(r.backwardDx)})`]);
        console.log(out.at(-1)!.join('  '));
      }
    } finally {
      await bp.close();
    }
  }
  console.log(table(['backend', 'x·W', 'transposeB ms (GFLOP/s)', 'pre-transposed ms (GFLOP/s)', 'backward dY·W ms (GFLOP/s)'], out));
}

export async function measure(browser: Browser, url: string, opts: BenchOptions): Promise<Measurements> {
  const { main: MAIN, plan: PLAN, quick: QUICK } = opts;
  // 1. One training step per backend, each in its own page.
  const rows: BackendRow[] = [];
  for (const backend of opts.backends) {
    const { reps, budgetMs } = PLAN[backend];
    console.log(`\n${LABEL[backend]}: training step, batch ${MAIN.batch} × (${MAIN.inputLength} + ${MAIN.promptLength}) tokens …`);
    const row: BackendRow = { backend };
    rows.push(row);
    let bp: BackendPage | undefined;
    try {
      bp = await openBackend(browser, url, backend, opts);
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
  const peer = opts.noPeer ? 'skipped (--no-peer)' : runPeer(MAIN, QUICK);

  // 1b. The ratio that matters, robust to this kind of machine's drift (±10% between minutes):
  // the fastest backend and the peer measured back to back, a few times.
  const paired: Measurements['paired'] = [];
  if (fastest && typeof peer !== 'string') {
    const rounds = QUICK ? 1 : PAIRED_ROUNDS;
    console.log(`\nPaired rounds: ${LABEL[fastest.backend]} and PyTorch back to back, ${rounds} times …`);
    for (let round = 0; round < rounds; round++) {
      let bp: BackendPage | undefined;
      try {
        bp = await openBackend(browser, url, fastest.backend, opts);
        const step = await bp.run<StepResult>({ kind: 'step', shape: MAIN, reps: PLAN[fastest.backend].reps, budgetMs: PLAN[fastest.backend].budgetMs }, PLAN[fastest.backend].budgetMs + GRACE_MS);
        await bp.close();
        const other = runPeer(MAIN, QUICK);
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
  const result: Measurements = { rows, fastest, peer, paired, phase2Backend: opts.on ?? fastest?.backend, scalingInput: [], scalingPrompt: [] };
  const backend = result.phase2Backend;
  const run2 = (job: Phase2Job) => opts.phase2.includes(job);
  if (!backend || opts.phase2.length === 0) return result;
  console.log(`\n${LABEL[backend]}${fastest?.backend === backend ? ` (the fastest: ${fmtMs(fastest.step!.medianMs)} per step)` : ''}: ${opts.phase2.join(', ')} …`);
  let bp: BackendPage | undefined;
  // A job that runs over its budget (or crashes the page) closes the page: the next one gets a fresh page.
  const guarded = async <R extends JobResult>(what: string, job: Job, budgetMs: number): Promise<R | string> => {
    console.log(`  ${what}`);
    try {
      if (!bp || bp.page.isClosed()) bp = await openBackend(browser, url, backend, opts);
      return await bp.run<R>(job, budgetMs + GRACE_MS);
    } catch (e) {
      const status = e instanceof OverBudget ? `${SKIPPED}: ${e.message}` : `failed: ${(e as Error).message.split('\n')[0]}`;
      console.log(`    ${status}`);
      await bp?.close();
      return status;
    }
  };
  try {
    if (run2('profile')) result.profile = await guarded<ProfileResult>('per-kernel profile of one step', { kind: 'profile', shape: MAIN, top: 25 }, 120_000);
    const reps = QUICK ? 1 : 3;
    if (run2('scaling')) {
      for (const inputLength of [32, 64, 128, 256]) {
        const r = await guarded<StepResult>(`step, input length ${inputLength}`, { kind: 'step', shape: { ...MAIN, inputLength }, reps, budgetMs: 60_000 }, 60_000);
        if (typeof r !== 'string') result.scalingInput.push(r);
      }
      for (const promptLength of [1, 20, 100]) {
        const r = await guarded<StepResult>(`step, prompt length ${promptLength}`, { kind: 'step', shape: { ...MAIN, promptLength }, reps, budgetMs: 60_000 }, 60_000);
        if (typeof r !== 'string') result.scalingPrompt.push(r);
      }
    }
    if (run2('scoring')) {
      result.scoring = await guarded<ScoreResult>('scoring: 32 examples × 5 prompts (scoreEnsemble) vs 1 prompt (scoreLabels)', { kind: 'score', examples: 32, prompts: 5, promptLength: 20, inputLength: 64, labels: 2, reps: QUICK ? 1 : 3, budgetMs: 120_000 }, 120_000);
    }
    if (run2('memory')) {
      // A fresh page, so the peak is this shape's alone.
      await bp?.close();
      const m = opts.memoryShape;
      result.memoryGoal = await guarded<StepResult>(`memory goal: batch ${m.batch} × ${m.inputLength} tokens, prompt ${m.promptLength}`, { kind: 'step', shape: m, reps: 0, budgetMs: 150_000 }, 150_000);
    }
    if (run2('leak')) {
      const leakSteps = QUICK ? 10 : 100;
      result.leak = await guarded<LeakResult>(`flat memory over ${leakSteps} steps (batch ${LEAK_SHAPE.batch} × (${LEAK_SHAPE.inputLength} + ${LEAK_SHAPE.promptLength}))`, { kind: 'leak', shape: LEAK_SHAPE, steps: leakSteps, budgetMs: 240_000 }, 240_000);
    }
    if (run2('vocabulary')) result.vocabulary = await guarded<VocabularyResult>(VOCABULARY_WHAT, VOCABULARY_JOB, VOCABULARY_BUDGET_MS);
  } finally {
    await bp?.close();
  }
  return result;
}
