/** The bench's report: the Markdown tables it prints, and the JSON it writes (bench/results/latest.json). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import path from 'node:path';
import { chromiumArgs } from '../../tools/chromium.ts';
import type { StepResult, VocabularyResult } from '../types.ts';
import type { Measurements, VocabularyRow } from './measure.ts';
import { LABEL, MEMORY_GOAL, type BenchOptions } from './options.ts';

export const fmtMs = (ms?: number) => (ms === undefined ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const fmtMB = (b?: number) => (b === undefined ? '—' : `${(b / 2 ** 20).toFixed(0)} MiB`);
const fmtNum = (x?: number, digits = 0) => (x === undefined ? '—' : x.toFixed(digits));

export function table(headers: string[], rows: string[][]): string {
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

const VOCABULARY_HEADERS = ['backend', 'table', 'atlas (norms + PCA)', 'longest stall', 'neighbours of 100 tokens', 'longest stall', '2,000-point map', 'atlas again (cached)'];

function vocabularyRow(name: string, v: VocabularyResult | string | undefined): string[] {
  if (typeof v !== 'object') return [name, '—', v ?? '—', '—', '—', '—', '—', '—'];
  return [
    name,
    `${v.shape[0].toLocaleString('en-US')} × ${v.shape[1]}`,
    `${fmtMs(v.atlasMs)} (${fmtMs(v.normsMs)} + ${fmtMs(v.pcaMs)})`,
    fmtMs(v.atlasStallMs),
    fmtMs(v.neighboursMs),
    fmtMs(v.neighboursStallMs),
    fmtMs(v.mapMs),
    fmtMs(v.atlasAgainMs),
  ];
}

const VOCABULARY_NOTE =
  'longest stall: the longest the page went without serving its event loop (a 10 ms ticker) while the part ran; the worker answers pause and stop in those gaps, so the atlas should stall for a fraction of its time, not all of it.';

/** --only=vocabulary: one row per backend. */
export function printVocabulary(rows: VocabularyRow[]): void {
  console.log('\n## Vocabulary views (interpretation) on the model\'s embedding table\n');
  console.log(table(VOCABULARY_HEADERS, rows.map((r) => vocabularyRow(LABEL[r.backend], r.vocabulary))));
  console.log(VOCABULARY_NOTE);
}

function machine(chromiumPath: string) {
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

/** Prints the tables: the step per backend against the peer, the paired rounds, then what phase 2 measured. */
export function printReport(res: Measurements, opts: BenchOptions): void {
  const { main: MAIN, memoryShape: MEMORY_SHAPE } = opts;
  const { rows, peer, paired, fastest, phase2Backend, scoring, memoryGoal, leak, profile } = res;
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

  if (phase2Backend && opts.phase2.some((j) => j !== 'profile')) {
    const name = LABEL[phase2Backend];
    const scaleRow = (s: StepResult) => [`${s.shape.inputLength}`, `${s.shape.promptLength}`, `${s.tokensPerStep}`, fmtMs(s.medianMs ?? s.firstStepMs), fmtNum(s.tokensPerSecond ?? (s.tokensPerStep * 1000) / s.firstStepMs), fmtMB(s.memory.peakTensorBytes)];
    console.log(`\n## Scaling on ${name} (batch ${MAIN.batch})\n`);
    console.log(table(['input length', 'prompt length', 'tokens/step', 'median step', 'tokens/s', 'peak tensors'], [...res.scalingInput, ...res.scalingPrompt.filter((s) => s.shape.promptLength !== MAIN.promptLength)].map(scaleRow)));
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
    if (opts.phase2.includes('vocabulary')) {
      console.log(`\n## Vocabulary views (interpretation) on ${name}\n`);
      console.log(table(VOCABULARY_HEADERS, [vocabularyRow(name, res.vocabulary)]));
      console.log(VOCABULARY_NOTE);
    }
  }
  if (typeof profile === 'object') {
    console.log(`\n## Profile of one step on ${LABEL[phase2Backend!]}: ${profile.kernelCount} kernels, ${fmtMs(profile.totalKernelMs)} in kernels, ${fmtMs(profile.wallMs)} wall (profiled)\n`);
    console.log(table(['kernel', 'ms', 'calls', 'share'], profile.byKernel.map((k) => [k.name, k.ms.toFixed(1), String(k.count), `${((100 * k.ms) / profile.totalKernelMs).toFixed(1)}%`])));
    console.log('\nby kernel and shapes (a custom-gradient unit shows as "forward", its kernels also on their own lines):');
    console.log(table(['kernel', 'ms', 'calls', 'inputs', 'outputs'], profile.slowest.map((k) => [k.name, k.ms.toFixed(1), String(k.count), k.inputShapes, k.outputShapes])));
  }
}

/** Writes everything measured, with the command and the machine, to opts.out (bench/results/latest.json by default). */
export function writeResults(r: Measurements, opts: BenchOptions, chromiumPath: string, started: number): void {
  const { memoryGoal } = r;
  const results = {
    date: new Date().toISOString(),
    command: `npm run bench${opts.argv.length ? ` -- ${opts.argv.join(' ')}` : ''}`,
    machine: { ...machine(chromiumPath), gpuAdapters: Object.fromEntries(r.rows.filter((row) => row.info?.adapter).map((row) => [row.backend, row.info!.adapter])) },
    model: 'T5 v1.1 LM-adapted small shape (d_model 512, d_kv 64, 6 heads, d_ff 1024, 8+8 layers, vocab 32128, gated-gelu, untied head), random weights',
    tokensPerSecondDefinition: 'encoder tokens per step, (input length + prompt length) × batch, divided by the median step time',
    dropoutRate: 0.1,
    shape: opts.main,
    backends: r.rows,
    fastest: r.fastest?.backend,
    peer: r.peer,
    scaling: { inputLength: r.scalingInput, promptLength: r.scalingPrompt },
    paired: r.paired,
    scoring: r.scoring,
    memoryGoal: typeof memoryGoal === 'object' ? { ...memoryGoal, goalShape: MEMORY_GOAL, goal: estimateGoal(memoryGoal) } : memoryGoal,
    leak: r.leak,
    vocabulary: r.vocabulary,
    profile: r.profile,
    wallSeconds: (Date.now() - started) / 1000,
  };
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), opts.out)} (${((Date.now() - started) / 60000).toFixed(1)} min)`);
}

/** --only=vocabulary: the rows, with the command and the machine, to opts.out (bench/results/vocabulary.json by default). */
export function writeVocabularyResults(rows: VocabularyRow[], opts: BenchOptions, chromiumPath: string, started: number): void {
  const results = {
    date: new Date().toISOString(),
    command: `npm run bench -- ${opts.argv.join(' ')}`,
    machine: { ...machine(chromiumPath), gpuAdapters: Object.fromEntries(rows.filter((row) => row.info?.adapter).map((row) => [row.backend, row.info!.adapter])) },
    table: "the bench model's shared embedding (T5 v1.1 small shape, random weights)",
    backends: rows,
    wallSeconds: (Date.now() - started) / 1000,
  };
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), opts.out)} (${((Date.now() - started) / 60000).toFixed(1)} min)`);
}
