import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The built app may talk to itself and to the Hugging Face Hub (model downloads and their CDN
 * redirects), nothing else: no analytics, no third-party requests. Scripts only from the app
 * itself ('wasm-unsafe-eval' lets WebAssembly compile; blob: is how the WASM backend starts its
 * thread workers, from code in its own bundle); inline styles are needed by D3 charts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The policy as a <meta> tag in the built index.html (the dev server's hot reload needs inline scripts). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: (html) => html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`),
  };
}

/**
 * Cross-origin isolation: SharedArrayBuffer, which the WASM backend needs for threads (a step is
 * ~1.6x faster with 2 threads than 1 on 2 cores). Hub downloads are CORS requests, which isolation
 * allows. A host that cannot send these headers still works, with single-threaded WASM.
 */
export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  server: { port: 5173, headers: ISOLATION_HEADERS },
  // `vite preview` serves the build with the same policy as a header, which also covers the workers.
  preview: { headers: { ...ISOLATION_HEADERS, 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  worker: {
    format: 'es',
    // The WASM backend starts its threads from its module factory's source text (Function#toString):
    // renamed identifiers, or checks like `typeof _scriptDir` folded away, break it there. So the
    // worker bundle only loses whitespace (tfjs#4253, #4539).
    rolldownOptions: { output: { minify: { mangle: false, compress: false } } },
  },
});
