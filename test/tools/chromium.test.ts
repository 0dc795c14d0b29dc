// Which browser the tests and the benchmark launch (tools/chromium.ts), on fake machines.
import { describe, expect, it } from 'vitest';
import { CHROMIUM_LOCATIONS, chromiumPath, ensureChromium, findChromium, mayInstallChromium, type Machine } from '../../tools/chromium';

const MAC_CHROME = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
const MAC_CHROMIUM = '/Applications/Chromium.app/Contents/MacOS/Chromium';

/** A machine whose only executables are `files`. */
function machine(files: string[], over: Partial<Machine> = {}): Machine {
  return { env: {}, exists: (p) => files.includes(p), platform: 'linux', uid: 1000, ...over };
}

describe('findChromium', () => {
  it('on Linux prefers chromium, then chromium-browser, google-chrome, google-chrome-stable, the snap', () => {
    const order = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];
    expect(CHROMIUM_LOCATIONS.linux!.slice(0, order.length)).toEqual(order);
    // Each one is picked when it and every less preferred one are there.
    for (let i = 0; i < order.length; i++) {
      expect(findChromium(machine(order.slice(i)))).toEqual({ path: order[i], from: 'default location' });
    }
    expect(findChromium(machine(['/opt/google/chrome/chrome'])).path).toBe('/opt/google/chrome/chrome');
  });

  it('on macOS prefers Google Chrome, then Chromium, in /Applications', () => {
    expect(findChromium(machine([MAC_CHROME, MAC_CHROMIUM], { platform: 'darwin' })).path).toBe(MAC_CHROME);
    expect(findChromium(machine([MAC_CHROMIUM], { platform: 'darwin' })).path).toBe(MAC_CHROMIUM);
    // The Linux locations mean nothing there.
    expect(findChromium(machine(['/usr/bin/chromium'], { platform: 'darwin' })).path).toBeUndefined();
  });

  it('CHROMIUM_PATH wins over every default location', () => {
    const m = machine(['/usr/bin/chromium', '/home/me/chrome/chrome'], { env: { CHROMIUM_PATH: '/home/me/chrome/chrome' } });
    expect(findChromium(m)).toEqual({ path: '/home/me/chrome/chrome', from: 'CHROMIUM_PATH' });
    expect(findChromium(machine([], { platform: 'win32', env: { CHROMIUM_PATH: 'C:\\chrome.exe' }, exists: () => true })).path).toBe('C:\\chrome.exe');
    // Empty counts as unset.
    expect(findChromium(machine(['/usr/bin/chromium'], { env: { CHROMIUM_PATH: '' } })).path).toBe('/usr/bin/chromium');
  });

  it('a CHROMIUM_PATH with nothing there is an error naming it, even with a browser at a default location', () => {
    const found = findChromium(machine(['/usr/bin/chromium'], { env: { CHROMIUM_PATH: '/opt/nope/chrome' } }));
    expect(found.path).toBeUndefined();
    expect(found).toMatchObject({ error: expect.stringContaining('CHROMIUM_PATH=/opt/nope/chrome: no executable there') });
    expect(() => chromiumPath(machine(['/usr/bin/chromium'], { env: { CHROMIUM_PATH: '/opt/nope/chrome' } }))).toThrow('/opt/nope/chrome');
  });

  it('with none found, says where it looked and the one command that fixes it', () => {
    const debian = findChromium(machine(['/usr/bin/apt-get']));
    expect(debian).toMatchObject({ fix: 'sudo apt-get install chromium' });
    expect(debian.path === undefined && debian.error).toBe(
      'No Chrome or Chromium for the browser tests (CHROMIUM_PATH is not set; looked in /usr/bin/chromium, /usr/bin/chromium-browser, ' +
        '/usr/bin/google-chrome, /usr/bin/google-chrome-stable, /snap/bin/chromium, /opt/google/chrome/chrome). ' +
        'Fix: sudo apt-get install chromium (or name one: CHROMIUM_PATH=/path/to/chrome npm test)',
    );
    expect(findChromium(machine([], { platform: 'darwin' }))).toMatchObject({ fix: 'brew install --cask google-chrome', error: expect.stringContaining(MAC_CHROME) });
    // Linux without apt-get, or a platform with no default locations: name a binary.
    expect(findChromium(machine([]))).toMatchObject({ fix: 'CHROMIUM_PATH=/path/to/chrome npm test' });
    const windows = findChromium(machine([], { platform: 'win32' }));
    expect(windows.path === undefined && windows.error).toBe(
      'No Chrome or Chromium for the browser tests (CHROMIUM_PATH is not set; no default locations on win32). Fix: CHROMIUM_PATH=/path/to/chrome npm test',
    );
  });
});

describe('installing', () => {
  it('only as root on Linux with apt-get, and not when CHROMIUM_PATH names a binary', () => {
    expect(mayInstallChromium(machine(['/usr/bin/apt-get'], { uid: 0 }))).toBe(true);
    expect(mayInstallChromium(machine(['/usr/bin/apt-get'], { uid: 1000 }))).toBe(false);
    expect(mayInstallChromium(machine([], { uid: 0 }))).toBe(false);
    expect(mayInstallChromium(machine(['/usr/bin/apt-get'], { uid: 0, platform: 'darwin' }))).toBe(false);
    expect(mayInstallChromium(machine(['/usr/bin/apt-get'], { uid: 0, env: { CHROMIUM_PATH: '/opt/nope/chrome' } }))).toBe(false);
  });

  it('ensureChromium returns a browser that is there without installing, and otherwise stops with the message', () => {
    const lines: string[] = [];
    expect(ensureChromium(machine(['/usr/bin/apt-get', '/usr/bin/google-chrome'], { uid: 0 }), (l) => lines.push(l))).toBe('/usr/bin/google-chrome');
    expect(() => ensureChromium(machine(['/usr/bin/apt-get']), (l) => lines.push(l))).toThrow('Fix: sudo apt-get install chromium');
    expect(() => ensureChromium(machine(['/usr/bin/apt-get'], { uid: 0, env: { CHROMIUM_PATH: '/opt/nope/chrome' } }), (l) => lines.push(l))).toThrow('CHROMIUM_PATH=/opt/nope/chrome');
    expect(lines).toEqual([]);
  });
});
