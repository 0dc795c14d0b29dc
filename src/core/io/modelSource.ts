/**
 * Where a model's files come from: a dropped folder (File objects), a URL base such as the
 * Hugging Face Hub's resolve endpoint, or (in Node) a directory — see nodeDirSource.ts.
 * `read` resolves to undefined when the source simply has no such file, so the loader can
 * fall back (model.safetensors → pytorch_model.bin); real failures throw ModelFileError.
 */
import { ModelFileError } from './modelFileError';

export interface DownloadProgress {
  file: string;
  loaded: number;
  /** From Content-Length; undefined when the server does not say. */
  total: number | undefined;
}

export interface ReadOptions {
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
}

export interface ModelSource {
  /** Human-readable, for messages: "folder t5-small", "https://huggingface.co/google/t5-small". */
  readonly description: string;
  read(file: string, options?: ReadOptions): Promise<Uint8Array | undefined>;
}

/** A dropped folder or picked files; files are matched by their base name. */
export function fileListSource(files: Iterable<File>, description = 'the selected files'): ModelSource {
  const byName = new Map<string, File>();
  for (const f of files) byName.set(f.name, f);
  return {
    description,
    async read(file) {
      const f = byName.get(file);
      return f ? new Uint8Array(await f.arrayBuffer()) : undefined;
    },
  };
}

/** The Hub's download URL base for a repo id such as "google/t5-base-lm-adapt". */
export function hubUrl(repo: string, revision = 'main'): string {
  return `https://huggingface.co/${repo}/resolve/${encodeURIComponent(revision)}`;
}

export interface UrlSourceOptions {
  fetch?: typeof fetch;
}

/** Files under a URL base, streamed so progress can be reported. 404 means "no such file". */
export function urlSource(base: string, options: UrlSourceOptions = {}): ModelSource {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const root = base.replace(/\/+$/, '');
  return {
    description: root,
    async read(file, { onProgress, signal } = {}) {
      const url = `${root}/${file}`;
      let response: Response;
      try {
        response = await doFetch(url, { signal });
      } catch (e) {
        if (signal?.aborted) throw e;
        throw new ModelFileError('network', `could not download ${url} (${(e as Error).message}). Check your connection, or open a local model folder instead.`, file);
      }
      if (response.status === 404) return undefined;
      if (response.status === 401 || response.status === 403) {
        throw new ModelFileError('network', `${url} needs permission (HTTP ${response.status}). The repository is private or gated; download it yourself and open the folder.`, file);
      }
      if (!response.ok) throw new ModelFileError('network', `${url} answered HTTP ${response.status}. Try again later.`, file);
      // Static hosts with a single-page-app fallback (Vite, GitHub Pages) answer a missing file
      // with index.html and status 200; no model file is HTML, so that means "not there".
      if (response.headers.get('content-type')?.startsWith('text/html') && !file.endsWith('.html')) {
        await response.body?.cancel();
        return undefined;
      }
      // With Content-Encoding (gzip, br) Content-Length counts the compressed bytes, not what the body yields.
      const header = response.headers.get('content-length');
      const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
      const total = header && !encoded ? Number(header) : undefined;
      if (!response.body) return new Uint8Array(await response.arrayBuffer());
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let loaded = 0;
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (e) {
          if (signal?.aborted) throw e;
          const of = total === undefined ? '' : ` of ${total}`;
          throw new ModelFileError('network', `the download of ${url} broke off after ${loaded}${of} bytes (${(e as Error).message}). Try again.`, file);
        }
        const { done, value } = chunk;
        if (done) break;
        chunks.push(value);
        loaded += value.length;
        onProgress?.({ file, loaded, total });
      }
      if (total !== undefined && loaded !== total) {
        throw new ModelFileError('truncated', `download stopped after ${loaded} of ${total} bytes. Try again.`, file);
      }
      const out = new Uint8Array(loaded);
      let offset = 0;
      for (const c of chunks) {
        out.set(c, offset);
        offset += c.length;
      }
      return out;
    },
  };
}
