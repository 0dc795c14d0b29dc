/**
 * `npm start` serves the app cross-origin isolated, and in headless Chromium it reports the backend
 * it picked: WebAssembly with threads here, since the only WebGPU adapter is software (SwiftShader).
 */
import { mkdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { appInBrowser, openStudio } from '../helpers/appInBrowser';
import { hasOnlySoftwareGpu } from '../helpers/browser';

const app = appInBrowser();

it('picks the fastest backend on the page served by npm start, and says why', async () => {
  const { page, errors } = await openStudio(app.browser, app.server.url, { viewport: { width: 1280, height: 800 }, consoleErrors: true });
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
