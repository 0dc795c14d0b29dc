/** The PyTorch peer: the same training step in PyTorch eager on the CPU (bench/peer_pytorch.py). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { StepShape } from '../types.ts';
import { benchDir } from './options.ts';

export interface PeerResult {
  impl: string;
  medianMs: number;
  tokensPerSecond: number;
  firstStepMs: number;
  timesMs: number[];
  maxRssBytes: number;
}

/** The peer's result, or why there is none (PyTorch not installed, the script failed). */
export function runPeer(shape: StepShape, quick: boolean): PeerResult | string {
  const python = '/usr/bin/python3';
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    return 'PyTorch not installed — skipped (apt-get install python3-torch libopenblas0-pthread)';
  }
  console.log('\nPyTorch peer (bench/peer_pytorch.py) …');
  const r = spawnSync(
    python,
    [path.join(benchDir, 'peer_pytorch.py'), '--threads', '2', '--batch', String(shape.batch), '--input-length', String(shape.inputLength), '--prompt-length', String(shape.promptLength), '--reps', quick ? '2' : '5'],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (r.status !== 0) return `PyTorch peer failed: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`;
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as PeerResult;
}
