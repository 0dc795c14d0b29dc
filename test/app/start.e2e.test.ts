/** `npm start` serves the app, and in headless Chromium it reports the WebGPU backend. */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { startDevServer, type DevServer } from '../helpers/devServer';

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('shows the WebGPU backend on the page served by npm start', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  const badge = page.getByTestId('backend');
  await expect.poll(() => badge.getAttribute('data-backend'), { timeout: 60_000 }).not.toBe('');
  expect(await badge.getAttribute('data-backend'), (await badge.textContent()) ?? '').toBe('webgpu');
  expect(await badge.textContent()).toContain('WebGPU');
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/start-page.png' });
  expect(errors).toEqual([]);
});
