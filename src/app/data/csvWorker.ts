/// <reference lib="webworker" />
/** Reads, decodes and parses a big CSV (or TSV, JSON Lines) off the main thread, so the tab stays responsive. */
import { formatBytes } from '../../core/format/bytes';
import { describeFailure, parseCsvBytes, tooBig, type CsvWorkerEvent, type CsvWorkerRequest } from './csvProtocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (event: CsvWorkerEvent) => self.postMessage(event);

self.onmessage = async (e: MessageEvent<CsvWorkerRequest>) => {
  const { file, header } = e.data;
  try {
    const big = tooBig(file.size);
    if (big) return post({ type: 'failed', failure: big });
    post({ type: 'progress', text: `Reading ${formatBytes(file.size)}…` });
    const bytes = new Uint8Array(await file.arrayBuffer());
    post({ type: 'progress', text: `Parsing ${formatBytes(file.size)}…` });
    const result = parseCsvBytes(bytes, file.name, header);
    post({ type: 'progress', text: `Handing over ${result.table.rows.length.toLocaleString('en-US')} rows…` });
    post({ type: 'done', result });
  } catch (error) {
    post({ type: 'failed', failure: describeFailure(error) });
  }
};
