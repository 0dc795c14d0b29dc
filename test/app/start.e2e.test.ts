/**
 * `npm start` serves the app cross-origin isolated, and in headless Chromium it reports the backend
 * it picked: WebAssembly with threads here, since the only WebGPU adapter is software (SwiftShader).
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hasOnlySoftwareGpu, launchChromium } from '../helpers/browser';
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

it('picks the fastest backend on the page served by npm start, and says why', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  const badge = page.getByTestId('backend');
  await expect.poll(() => badge.getAttribute('data-backend'), { timeout: 60_000 }).not.toBe('');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const software = await hasOnlySoftwareGpu(page);
  const text = (await badge.textContent()) ?? '';
  if (software) {
    expect(await badge.getAttribute('data-backend'), text).toBe('wasm');
    expect(text).toMatch(/WebAssembly \(SIMD, [2-9]\d* threads\)/);
    expect(text).toMatch(/WebGPU runs on a software adapter here/);
  } else {
    expect(await badge.getAttribute('data-backend'), text).toBe('webgpu');
  }
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/start-page.png' });
  expect(errors).toEqual([]);
});
