/**
 * The PyTorch peer of `npm run bench:learn`: scripts/demo-model/prompt_tune.py trains the same
 * prompt on the same rows with the same recipe, on the same model folder, in PyTorch on the CPU.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { DEMO_MODEL_DIR, REPO_ROOT, type HeldOutTask } from '../../scripts/demo-model/heldOutTasks';
import type { CurvePoint } from '../../src/core/tuning/heldOutCurve';
import type { LearningRun } from './runs';

export interface PeerResult {
  points: CurvePoint[];
  seconds: number;
}

export type PeerOutcome = PeerResult | { skipped: string };

export function runPeer(run: LearningRun, task: HeldOutTask, recipe: { batchSize: number; learningRate: number; seed: number; dropoutRate: number }, steps: number, evalEvery: number): PeerOutcome {
  const dir = mkdtempSync(path.join(tmpdir(), 'learn-peer-'));
  const csv = (rows: HeldOutTask['train']) => Papa.unparse({ fields: ['text', 'label'], data: rows.map((r) => [r.text, r.label]) });
  writeFileSync(path.join(dir, 'train.csv'), csv(task.train));
  writeFileSync(path.join(dir, 'test.csv'), csv(task.test));
  const labelText = task.task.labels.map((l, i) => `${l}=${task.task.targetTexts[i]}`).join(',');
  const args = [
    path.join(REPO_ROOT, 'scripts/demo-model/prompt_tune.py'), '--model', DEMO_MODEL_DIR, '--train', path.join(dir, 'train.csv'), '--test', path.join(dir, 'test.csv'),
    '--label-text', labelText, '--prompt-length', String(run.promptLength), '--init', run.init, '--steps', String(steps), '--eval-every', String(evalEvery),
    '--batch', String(recipe.batchSize), '--lr', String(recipe.learningRate), '--seed', String(recipe.seed), '--dropout', String(recipe.dropoutRate),
    '--max-length', String(task.task.maxInputTokens - run.promptLength),
  ];
  const r = spawnSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
    return { skipped: /No module named 'torch'|ENOENT/.test(why) ? `PyTorch is not installed (apt-get install python3-torch): ${why}` : why };
  }
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { curve: Array<{ step: number; accuracy: number; loss?: number }>; seconds: number };
  return { points: out.curve.map((p) => ({ step: p.step, accuracy: p.accuracy, loss: p.loss ?? NaN })), seconds: out.seconds };
}
