/**
 * How the tests launch Chromium: the system binary (Playwright's own browser download does not
 * work offline) with WebGPU enabled on SwiftShader so it runs headless without a GPU.
 * CHROMIUM_PATH points the tests at another Chrome/Chromium binary.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
