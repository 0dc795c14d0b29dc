/** Runs the app's real servers on a free port (end-to-end tests, bench:soak): `npm start`, or the built app. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface DevServer {
  url: string;
  stop(): Promise<void>;
}

const root = new URL('..', import.meta.url).pathname;

/** `npm start`: the Vite dev server. */
export function startDevServer(timeoutMs = 120_000): Promise<DevServer> {
  return startServer('npm', ['start', '--'], timeoutMs);
}

/** The production build (`vite build` into `outDir`), served by `vite preview`. */
export async function startBuiltApp(outDir: string, timeoutMs = 300_000): Promise<DevServer> {
  const build = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], { cwd: root, encoding: 'utf8', timeout: timeoutMs });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  return startServer('npx', ['vite', 'preview', '--outDir', outDir], timeoutMs);
}

async function startServer(command: string, args: string[], timeoutMs: number): Promise<DevServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(command, [...args, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: root,
    detached: true, // own process group, so stop() also ends vite under npm
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await new Promise((r) => child.once('exit', r));
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(url)).ok) return { url, stop };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`${command} ${args.join(' ')} did not serve ${url} within ${timeoutMs} ms:\n${output}`);
}
