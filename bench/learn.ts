/**
 * `npm run bench:learn`: does prompt tuning learn on the demo model? Held-out accuracy against
 * training steps (scripts/demo-model/heldOutTasks.ts) for the three initialisations, prompt lengths
 * 1/5/20/100, a K = 5 ensemble against its members, and the same recipe in PyTorch as a peer. Runs
 * in Node on the app's WebAssembly backend; prints Markdown tables and writes
 * bench/results/learning.json.
 *
 * Options: --runs=id,id (see bench/learning/runs.ts)  --steps=N  --eval-every=N  --no-peer  --out=PATH
 *   --merge (with --runs: keep the output file's other runs, replace these)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { selectBackend } from '../src/core/backend';
import { nodeDirSource } from '../src/core/io/nodeDirSource';
import { loadT5 } from '../src/core/model/loadT5';
import { heldOutCurve } from '../src/core/tuning/heldOutCurve';
import { DEMO_MODEL_DIR, REPO_ROOT, rtPolarityTask, spamTask, type HeldOutTask } from '../scripts/demo-model/heldOutTasks';
import { LEARNING_RECIPE } from '../scripts/demo-model/learningRecipe';
import { runPeer } from './learning/peer';
import { curveTable, findings, findingsTable, peerTable, type RunResult } from './learning/report';
import { PEER_RUNS, RUNS } from './learning/runs';

const argv = process.argv.slice(2);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const only = option('runs')?.split(',');
const evalEvery = Number(option('eval-every') ?? 25);
const out = option('out') ?? path.join(REPO_ROOT, 'bench/results/learning.json');

const backend = await selectBackend(['wasm', 'cpu']);
const loaded = await loadT5(nodeDirSource(DEMO_MODEL_DIR));
const tasks: Record<string, HeldOutTask> = { spam: spamTask(), 'rt-polarity': rtPolarityTask() };
const stepsFor = (task: string) => Number(option('steps') ?? (task === 'spam' ? LEARNING_RECIPE.spamSteps : LEARNING_RECIPE.rtSteps));
const results: RunResult[] = [];

for (const run of RUNS.filter((r) => !only || only.includes(r.id))) {
  // Every run reads the same text: the input budget (prompt included) grows with the prompt length.
  const base = tasks[run.task]!;
  const task = { ...base, task: { ...base.task, maxInputTokens: base.task.maxInputTokens - LEARNING_RECIPE.promptLength + run.promptLength } };
  const steps = stepsFor(run.task);
  process.stderr.write(`${run.id}: ${run.task}, init ${run.init}, P = ${run.promptLength}, K = ${run.ensemble}, ${steps} steps\n`);
  const curve = await heldOutCurve(
    loaded.model,
    loaded.tokenizer!,
    task,
    { ...LEARNING_RECIPE, init: run.init, promptLength: run.promptLength, ensembleSize: run.ensemble, steps, evalEvery },
    (p) => process.stderr.write(`  step ${p.step}: held-out accuracy ${p.accuracy.toFixed(3)}${p.members ? ` (prompts ${p.members.map((m) => m.toFixed(3)).join(', ')})` : ''}\n`),
  );
  const result: RunResult = { run, curve };
  if (PEER_RUNS.includes(run.id) && !argv.includes('--no-peer')) {
    process.stderr.write(`  PyTorch peer...\n`);
    result.peer = runPeer(run, task, LEARNING_RECIPE, steps, evalEvery);
  }
  results.push(result);
}
loaded.model.dispose();

// --merge: keep the earlier runs of the output file that were not run again now.
if (argv.includes('--merge') && existsSync(out)) {
  const earlier = (JSON.parse(readFileSync(out, 'utf8')) as { runs: RunResult[] }).runs;
  const now = new Map(results.map((r) => [r.run.id, r]));
  const merged = RUNS.flatMap((r) => now.get(r.id) ?? earlier.find((e) => e.run.id === r.id) ?? []);
  results.splice(0, results.length, ...merged);
}

const found = findings(results);
const report = [
  '### Held-out accuracy (%) against steps',
  curveTable(results),
  '### The same recipe in PyTorch',
  peerTable(results),
  '### The paper\'s findings',
  findingsTable(found),
].join('\n\n');
console.log(report);
const card = JSON.parse(readFileSync(path.join(DEMO_MODEL_DIR, 'config.json'), 'utf8')) as { _name_or_path?: string };
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model, cores: cpus().length, backend: backend.name, node: process.version },
      model: card._name_or_path,
      recipe: LEARNING_RECIPE,
      evalEvery,
      tasks: Object.fromEntries(Object.values(tasks).map((t) => [t.name, { train: t.train.length, test: t.test.length, labels: t.task.labels, targets: t.task.targetTexts }])),
      runs: results,
      findings: found,
      report,
    },
    null,
    1,
  ) + '\n',
);
process.stderr.write(`wrote ${path.relative(REPO_ROOT, out)}\n`);
