import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, DEBIAN_CHROMIUM, findChromium, thisMachine } from './tools/chromium.ts';

// Three projects run the same parity suites: `node` on TF.js's CPU backend, `wasm` in Node on the
// WebAssembly backend (the app's pick without a GPU), and `webgpu` in headless Chromium on the
// WebGPU backend. Files named *.both.test.ts run in all three, *.browser.test.ts only in Chromium,
// other *.test.ts only in `node`.
/**
 * Only in the `wasm` project: tests of the WASM backend itself, and the learning test (real training
 * on the shipped demo model, on the backend the app uses without a GPU).
 */
const wasmOnly = ['test/core/wasmBackend.test.ts', 'test/learning/*.test.ts'];

/**
 * The browser the `webgpu` project launches (tools/chromium.ts). That project's globalSetup runs
 * before any test of any project starts: it stops the run with one message when there is no browser,
 * or installs Debian's chromium where it may, which is where this points when nothing is found yet.
 */
const chromiumPath = findChromium(thisMachine()).path ?? DEBIAN_CHROMIUM;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.ts', ...wasmOnly],
          setupFiles: ['test/setup/node.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'wasm',
          environment: 'node',
          include: ['test/**/*.both.test.ts', ...wasmOnly, 'test/core/model/batchMatMul.test.ts', 'test/core/model/customGradients.test.ts'],
          setupFiles: ['test/setup/node.ts'],
          env: { TEST_BACKEND: 'wasm' },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Pre-bundle up front: a dependency discovered mid-run makes Vite reload the test page.
        optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm', '@huggingface/tokenizers', 'fflate', 'idb', 'papaparse', 'd3', 'react', 'react-dom', 'react-dom/client'] },
        test: {
          name: 'webgpu',
          include: ['test/**/*.both.test.ts', 'test/**/*.browser.test.ts'],
          setupFiles: ['test/setup/webgpu.ts'],
          globalSetup: ['tools/chromium.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
    ],
  },
});
