/** Launch the system Chromium with headless WebGPU for end-to-end tests driven by playwright-core. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../tools/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
}

/**
 * Whether the page has no WebGPU adapter, or only a software one (SwiftShader): where the app's
 * automatic choice is WebAssembly rather than WebGPU.
 */
export function hasOnlySoftwareGpu(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    return !adapter || /swiftshader/i.test(`${adapter.info.architecture} ${adapter.info.description}`);
  });
}
