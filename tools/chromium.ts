/**
 * How the tests and the benchmark launch Chromium: a Chrome/Chromium already on the machine
 * (Playwright's own browser download does not work offline) with WebGPU enabled on SwiftShader, so
 * it runs headless without a GPU.
 *
 * Which binary: CHROMIUM_PATH when set, else the first of the usual Linux or macOS locations
 * (`findChromium`). Before any test runs, vitest's globalSetup (`setup` below, named in
 * vitest.config.ts) makes sure there is one: on a Debian/Ubuntu machine without one, running as
 * root, it installs Debian's `chromium` with apt-get; anywhere else it stops the run with one message
 * naming the command that fixes it.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Where Debian's `chromium` package puts the binary (what the install below provides). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The usual Chrome/Chromium locations, most preferred first. */
export const CHROMIUM_LOCATIONS: Partial<Record<NodeJS.Platform, readonly string[]>> = {
  linux: [
    DEBIAN_CHROMIUM,
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
  ],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
};

/** What `findChromium` needs to know about a machine. */
export interface Machine {
  env: Record<string, string | undefined>;
  /** Whether an executable file is at this path. */
  exists: (path: string) => boolean;
  platform: NodeJS.Platform;
  /** The user id (process.getuid()): 0 may install packages. Undefined where there is none (Windows). */
  uid?: number;
}

export type ChromiumLookup =
  | { path: string; from: 'CHROMIUM_PATH' | 'default location' }
  /** `fix`: the one command that makes the next run find a browser. */
  | { path?: undefined; error: string; fix: string };

const APT_GET = '/usr/bin/apt-get';
const INSTALL_COMMAND = 'apt-get update -qq && apt-get install -y -qq chromium';

/** The one command that gets this machine a browser the tests find. */
function fixFor(machine: Machine): string {
  if (machine.platform === 'linux' && machine.exists(APT_GET)) return 'sudo apt-get install chromium';
  if (machine.platform === 'darwin') return 'brew install --cask google-chrome';
  return 'CHROMIUM_PATH=/path/to/chrome npm test';
}

/**
 * The Chrome/Chromium binary to launch: CHROMIUM_PATH when set (an error naming it when nothing
 * executable is there), else the first of CHROMIUM_LOCATIONS[platform] that exists, else an error
 * that lists where it looked and names the command that fixes it. Pure: the machine is an argument.
 */
export function findChromium(machine: Machine): ChromiumLookup {
  const { env, exists, platform } = machine;
  const wanted = env.CHROMIUM_PATH;
  if (wanted) {
    if (exists(wanted)) return { path: wanted, from: 'CHROMIUM_PATH' };
    const fix = 'CHROMIUM_PATH=/path/to/chrome npm test';
    return { error: `CHROMIUM_PATH=${wanted}: no executable there. Point it at a Chrome or Chromium binary: ${fix}`, fix };
  }
  const locations = CHROMIUM_LOCATIONS[platform] ?? [];
  const found = locations.find((p) => exists(p));
  if (found) return { path: found, from: 'default location' };
  const fix = fixFor(machine);
  const looked = locations.length > 0 ? `looked in ${locations.join(', ')}` : `no default locations on ${platform}`;
  const alternative = fix.startsWith('CHROMIUM_PATH=') ? '' : ` (or name one: CHROMIUM_PATH=/path/to/chrome npm test)`;
  return { error: `No Chrome or Chromium for the browser tests (CHROMIUM_PATH is not set; ${looked}). Fix: ${fix}${alternative}`, fix };
}

/** Whether this machine may install Debian's chromium itself: Linux, root, apt-get present, and no CHROMIUM_PATH asked for. */
export function mayInstallChromium(machine: Machine): boolean {
  return machine.platform === 'linux' && machine.uid === 0 && machine.exists(APT_GET) && !machine.env.CHROMIUM_PATH;
}

function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** This machine, as `findChromium` sees it. */
export function thisMachine(): Machine {
  return { env: process.env, exists: isExecutableFile, platform: process.platform, uid: process.getuid?.() };
}

/** The binary to launch on this machine; throws the `findChromium` message when there is none. */
export function chromiumPath(machine: Machine = thisMachine()): string {
  const found = findChromium(machine);
  if (found.path === undefined) throw new Error(found.error);
  return found.path;
}

/**
 * `chromiumPath()`, but where there is none and `mayInstallChromium`, first installs Debian's
 * chromium with apt-get (as .ci/run does), saying so.
 */
export function ensureChromium(machine: Machine = thisMachine(), log: (line: string) => void = console.log): string {
  const found = findChromium(machine);
  if (found.path !== undefined) return found.path;
  if (!mayInstallChromium(machine)) throw new Error(found.error);
  log(`No Chrome or Chromium found: installing Debian's chromium for the browser tests (${INSTALL_COMMAND}) …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync(APT_GET, ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync(APT_GET, ['install', '-y', '-qq', 'chromium'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (e) {
    throw new Error(`Installing chromium failed (${(e as Error).message.split('\n')[0]}). Install a Chrome or Chromium, or name one: CHROMIUM_PATH=/path/to/chrome npm test`);
  }
  const after = findChromium(machine);
  if (after.path === undefined) throw new Error(`apt-get installed chromium, yet: ${after.error}`);
  log(`Installed ${after.path}`);
  return after.path;
}

/**
 * vitest globalSetup (vitest.config.ts): find or install the browser once, before any test runs;
 * else stop the whole run at once with the message alone (not a stack, nor a failure per test).
 */
export function setup(): void {
  try {
    ensureChromium();
  } catch (e) {
    console.error(`\n${(e as Error).message}\n`);
    process.exit(1);
  }
}
