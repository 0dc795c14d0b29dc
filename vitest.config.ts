import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, chromiumPath } from './test/chromium.ts';

// Two projects run the same parity suites: `node` on TF.js's CPU backend and `webgpu` in headless
// Chromium on the WebGPU backend. Files named *.both.test.ts run in both, *.browser.test.ts only in
// Chromium, other *.test.ts only in Node.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.ts'],
          setupFiles: ['test/setup/node.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Pre-bundle up front: a dependency discovered mid-run makes Vite reload the test page.
        optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@huggingface/tokenizers', 'fflate', 'idb', 'papaparse', 'd3', 'react', 'react-dom', 'react-dom/client'] },
        test: {
          name: 'webgpu',
          include: ['test/**/*.both.test.ts', 'test/**/*.browser.test.ts'],
          setupFiles: ['test/setup/webgpu.ts'],
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
