// The backend badge as markup: the measured step times beside the backend, a trial under way, and the
// picker only where there is a choice.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BackendBadge, type BackendInfo } from '../../src/app/BackendBadge';

const render = (backend: BackendInfo | undefined, failure?: string) => renderToStaticMarkup(createElement(BackendBadge, { backend, failure }));
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'");

describe('BackendBadge', () => {
  it('shows the backend with the measured step times, fastest first, and a picker of the usable backends', () => {
    const html = render({
      name: 'webgl',
      detail: 'ANGLE (NVIDIA)',
      usable: ['webgpu', 'webgl', 'wasm'],
      measured: { because: 'measured', timings: [{ backend: 'webgpu', stepMs: 180 }, { backend: 'webgl', stepMs: 120 }, { backend: 'wasm', stepMs: 1500 }] },
    });
    expect(text(html)).toContain('Backend: WebGL (ANGLE (NVIDIA))');
    expect(text(html)).toContain('fastest measured; per step: WebGL 120 ms · WebGPU 180 ms · WebAssembly 1.50 s');
    expect(html).toContain('data-testid="backend-override"');
    expect(html.match(/<option/g)).toHaveLength(4); // fastest (measured) + the three
    expect(text(html)).toContain('measure again');
  });

  it('says a trial is under way, and what a remembered choice is', () => {
    expect(text(render({ name: 'wasm', usable: ['webgpu', 'wasm'], measuring: ['webgpu', 'wasm'] }))).toContain('timing a training step on WebGPU, WebAssembly to train on the fastest');
    expect(text(render({ name: 'webgpu', usable: ['webgpu', 'wasm'], measured: { because: 'remembered', timings: [{ backend: 'webgpu', stepMs: 90 }] } }))).toContain('fastest when measured; per step: WebGPU 90 ms');
  });

  it('offers no picker and no numbers with one usable backend (a machine without a GPU)', () => {
    const html = render({ name: 'wasm', detail: 'SIMD, 2 threads', usable: ['wasm'] });
    expect(text(html)).toBe('Backend: WebAssembly (SIMD, 2 threads)');
    expect(html).not.toContain('<select');
  });

  it('still reports a backend that could not start', () => {
    expect(text(render(undefined, 'no WebAssembly'))).toBe('No compute backend could start: no WebAssembly');
  });
});
