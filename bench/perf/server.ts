/**
 * The bench page's server: Vite serving bench/index.html + bench/page.ts with COOP/COEP headers, so
 * the page is cross-origin isolated and the WASM backend gets SIMD + threads.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { benchDir, repoDir } from './options.ts';

const wasmDir = path.join(repoDir, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

/** COOP/COEP on every response (cross-origin isolation → SharedArrayBuffer → WASM threads), and the .wasm files. */
function isolationAndWasm(): Plugin {
  return {
    name: 'bench-isolation-and-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
        const url = req.url?.split('?')[0] ?? '';
        if (url.startsWith('/tfjs-wasm/')) {
          const file = path.join(wasmDir, path.basename(url));
          if (!file.endsWith('.wasm') || !existsSync(file)) {
            res.statusCode = 404;
            res.end();
            return;
          }
          res.setHeader('Content-Type', 'application/wasm');
          createReadStream(file).pipe(res);
          return;
        }
        next();
      });
    },
  };
}

export async function startServer(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    root: benchDir,
    configFile: false,
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, fs: { allow: [repoDir] }, hmr: false, watch: null },
    optimizeDeps: {
      entries: [path.join(benchDir, 'index.html')],
      include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'],
    },
    plugins: [isolationAndWasm()],
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the bench server did not report its URL');
  return { server, url };
}
