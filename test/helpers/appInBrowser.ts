/**
 * The set-up every end-to-end file shares: the app served (the dev server, or a build) and one
 * headless Chromium, started before the file's tests and stopped after them; and a studio page
 * that collects the errors the page throws.
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

/** A new page (in a browser, or in a context shared by several tabs) opened at `url`. */
export async function openStudio(target: Browser | BrowserContext, url: string, options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean; consoleErrors?: boolean } = {}): Promise<StudioPage> {
  const { consoleErrors, ...pageOptions } = options;
  // A context's pages share its settings; a browser makes a fresh context per page with these.
  const page = 'newContext' in target ? await target.newPage(pageOptions) : await target.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (consoleErrors) page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  return { page, errors };
}
