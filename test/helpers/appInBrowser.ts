/**
 * The set-up every end-to-end file shares: the app served (the dev server, or a build) and one
 * headless Chromium, started before the file's tests and stopped after them; a studio page
 * that collects the errors the page throws; and a file dropped onto its Data step.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { startDevServer, type DevServer } from './devServer';

export interface AppInBrowser {
  readonly server: DevServer;
  readonly browser: Browser;
}

/** Registers beforeAll/afterAll for the calling file; the fields are set once beforeAll has run. */
export function appInBrowser(start: () => Promise<DevServer> = startDevServer, setupTimeoutMs = 300_000): AppInBrowser {
  const app = {} as { server: DevServer; browser: Browser };
  beforeAll(async () => {
    [app.server, app.browser] = await Promise.all([start(), launchChromium()]);
  }, setupTimeoutMs);
  afterAll(async () => {
    await app.browser?.close();
    await app.server?.stop();
  });
  return app;
}

export interface StudioPage {
  page: Page;
  /** Uncaught errors in the page, and console errors when asked for: a test ends expecting none. */
  errors: string[];
}

export interface StudioOptions {
  viewport?: { width: number; height: number };
  acceptDownloads?: boolean;
  /** Count console errors as errors too. */
  consoleErrors?: boolean;
  /** Runs on the page before it loads, e.g. to watch every request it makes. */
  beforeLoad?: (page: Page) => void;
}

/** A new page (in a browser, or in a context shared by several tabs) opened at `url`. */
export async function openStudio(target: Browser | BrowserContext, url: string, options: StudioOptions = {}): Promise<StudioPage> {
  const { consoleErrors, beforeLoad, ...pageOptions } = options;
  // A context's pages share its settings; a browser makes a fresh context per page with these.
  const page = 'newContext' in target ? await target.newPage(pageOptions) : await target.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (consoleErrors) page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  beforeLoad?.(page);
  await page.goto(url);
  return { page, errors };
}

/** A file dropped onto the Data step, as a person drags it from the desktop (bytes for text that is not UTF-8). */
export async function dropFile(page: Page, name: string, contents: string | Uint8Array, type = ''): Promise<void> {
  await page.evaluate(
    ({ name, data, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([typeof data === 'string' ? data : new Uint8Array(data)], name, { type }));
      const target = document.querySelector('[data-testid="csv-drop"]')!;
      for (const event of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(event, { bubbles: true, cancelable: true, dataTransfer: dt }));
    },
    { name, data: typeof contents === 'string' ? contents : [...contents], type },
  );
}
