/**
 * A dropped or chosen File (CSV, TSV, JSON Lines) → a parsed CsvTable, without ever freezing the
 * tab: small files are read here, big ones (over WORKER_THRESHOLD_BYTES) in a module worker
 * (csvWorker.ts) that reports progress. Every failure (not a text file, empty, unreadable, too
 * big...) becomes a message state; nothing is thrown at React. The same file can be read again
 * with the first row taken as a header or as data (the one-click switch).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CsvTable } from '../../core/data/csvTable';
import type { TextEncodingName } from '../../core/data/decodeText';
import type { HeaderMode } from '../../core/data/headerDetection';
import type { DataFormat } from '../../core/data/readTable';
import { formatBytes } from '../../core/format/bytes';
import {
  describeFailure,
  parseCsvBytes,
  tooBig,
  type CsvFailure,
  type CsvWorkerEvent,
  type CsvWorkerRequest,
  type ParsedCsv,
} from './csvProtocol';

/** Files larger than this are decoded and parsed in a worker. */
export const WORKER_THRESHOLD_BYTES = 5 * 1024 * 1024;

export type CsvFileState =
  | { status: 'empty' }
  | { status: 'loading'; fileName: string; progress: string }
  | { status: 'failed'; fileName: string; failure: CsvFailure }
  | { status: 'loaded'; fileName: string; size: number; table: CsvTable; encoding: TextEncodingName; format: DataFormat };

/** What readCsvFile rejects with (besides an AbortError when its signal fires). */
export class CsvReadError extends Error {
  readonly failure: CsvFailure;

  constructor(failure: CsvFailure) {
    super(failure.message);
    this.name = 'CsvReadError';
    this.failure = failure;
  }
}

export interface ReadCsvOptions {
  onProgress?: (text: string) => void;
  signal?: AbortSignal;
  /** Whether the first row of a CSV/TSV is a header: detected ('auto') when absent. */
  header?: HeaderMode;
}

/** Reads, decodes and parses `file`; big files go to a worker. Rejects with CsvReadError. */
export function readCsvFile(file: File, options: ReadCsvOptions = {}): Promise<ParsedCsv> {
  const big = tooBig(file.size);
  if (big) return Promise.reject(new CsvReadError(big));
  if (file.size > WORKER_THRESHOLD_BYTES && typeof Worker !== 'undefined') {
    return readInWorker(file, options).catch((error: unknown) => {
      // A worker that cannot start (blocked by a policy, an old browser) still leaves the main thread.
      if (error instanceof WorkerStartError) return readHere(file, options);
      throw error;
    });
  }
  return readHere(file, options);
}

async function readHere(file: File, { onProgress, signal, header }: ReadCsvOptions): Promise<ParsedCsv> {
  onProgress?.(`Reading ${formatBytes(file.size)}…`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    throw new CsvReadError(describeFailure(error));
  }
  signal?.throwIfAborted();
  try {
    return parseCsvBytes(bytes, file.name, header);
  } catch (error) {
    throw new CsvReadError(describeFailure(error));
  }
}

class WorkerStartError extends Error {}

function readInWorker(file: File, { onProgress, signal, header = 'auto' }: ReadCsvOptions): Promise<ParsedCsv> {
  return new Promise<ParsedCsv>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./csvWorker.ts', import.meta.url), { type: 'module' });
    } catch {
      reject(new WorkerStartError());
      return;
    }
    let started = false;
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener('abort', abort);
    };
    const abort = () => {
      finish();
      reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort);
    worker.onmessage = (e: MessageEvent<CsvWorkerEvent>) => {
      started = true;
      const event = e.data;
      if (event.type === 'progress') return onProgress?.(event.text);
      finish();
      if (event.type === 'done') resolve(event.result);
      else reject(new CsvReadError(event.failure));
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      finish();
      if (!started) reject(new WorkerStartError());
      else reject(new CsvReadError({ code: 'unreadable', message: `reading the file failed (${e.message || 'the worker stopped'})` }));
    };
    worker.onmessageerror = () => {
      finish();
      reject(new CsvReadError({ code: 'too-big', message: 'the parsed table could not be handed to the page (out of memory?); use a sample of the rows' }));
    };
    const request: CsvWorkerRequest = { file, header };
    worker.postMessage(request);
  });
}

export interface CsvFile {
  state: CsvFileState;
  /** Start reading `file`; a read still running is abandoned. */
  load(file: File): void;
  /** Read the loaded file again with its first row taken as a header ('yes'), as data ('no'), or detected. */
  setHeader(header: HeaderMode): void;
  /** Fetch `url` and read it like a dropped file called `fileName`. */
  loadUrl(url: string, fileName: string): void;
  /** Forget the file (and stop reading it). */
  clear(): void;
}

/** One CSV file's read state for a component: empty → loading (with progress) → loaded | failed. */
export function useCsvFile(): CsvFile {
  const [state, setState] = useState<CsvFileState>({ status: 'empty' });
  const current = useRef<AbortController | undefined>(undefined);
  /** The file last read, to read again when the header choice changes. */
  const lastFile = useRef<File | undefined>(undefined);

  const begin = useCallback(() => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    return controller.signal;
  }, []);

  const read = useCallback((file: File, signal: AbortSignal, header: HeaderMode = 'auto') => {
    const fileName = file.name || 'data.csv';
    lastFile.current = file;
    setState({ status: 'loading', fileName, progress: `Reading ${formatBytes(file.size)}…` });
    readCsvFile(file, { signal, header, onProgress: (progress) => !signal.aborted && setState({ status: 'loading', fileName, progress }) }).then(
      ({ table, encoding, format }) => !signal.aborted && setState({ status: 'loaded', fileName, size: file.size, table, encoding, format }),
      (error: unknown) => {
        if (signal.aborted) return;
        const failure = error instanceof CsvReadError ? error.failure : describeFailure(error);
        setState({ status: 'failed', fileName, failure });
      },
    );
  }, []);

  const load = useCallback((file: File) => read(file, begin()), [begin, read]);
  const setHeader = useCallback(
    (header: HeaderMode) => {
      if (lastFile.current) read(lastFile.current, begin(), header);
    },
    [begin, read],
  );

  const loadUrl = useCallback(
    (url: string, fileName: string) => {
      const signal = begin();
      setState({ status: 'loading', fileName, progress: `Downloading ${fileName}…` });
      fetch(url, { signal })
        .then(async (response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
          const blob = await response.blob();
          if (!signal.aborted) read(new File([blob], fileName, { type: blob.type || 'text/csv' }), signal);
        })
        .catch((error: unknown) => {
          if (signal.aborted) return;
          const detail = error instanceof Error ? error.message : String(error);
          setState({ status: 'failed', fileName, failure: { code: 'unreadable', message: `${fileName} could not be downloaded (${detail})` } });
        });
    },
    [begin, read],
  );

  const clear = useCallback(() => {
    current.current?.abort();
    current.current = undefined;
    lastFile.current = undefined;
    setState({ status: 'empty' });
  }, []);

  useEffect(() => () => current.current?.abort(), []);

  return { state, load, setHeader, loadUrl, clear };
}
