/**
 * Running the exported job's train.py with the machine's Python (standard library only: its dry run
 * and helpers need nothing else). PYTHON names the interpreter; else python3 on the PATH.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PYTHON = process.env.PYTHON ?? 'python3';
export const TRAIN_PY = fileURLToPath(new URL('../../src/core/job/train.py', import.meta.url));
export const JOB_DIR = fileURLToPath(new URL('../../src/core/job/', import.meta.url));

export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** python3 -B (no __pycache__ beside the sources) with these arguments; a missing interpreter fails with the fix. */
export function python(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): PythonRun {
  const r = spawnSync(PYTHON, ['-B', ...args], { encoding: 'utf8', timeout: 60_000, cwd: options.cwd, input: options.input, env: { ...process.env, ...options.env } });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${PYTHON} not found: the job tests run train.py's dry run with Python 3 (apt-get install python3, or set PYTHON)`);
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run Python code with train.py importable as `train`; returns stdout parsed as JSON. */
export function withTrainModule(code: string): unknown {
  const r = python(['-c', `import sys, json\nsys.path.insert(0, ${JSON.stringify(JOB_DIR)})\nimport train\n${code}`]);
  if (r.code !== 0) throw new Error(`python failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
