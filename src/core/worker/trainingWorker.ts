/// <reference lib="webworker" />
/** The training worker: a thin adapter between postMessage and TrainingSession. */
import { IndexedDbRunStore } from '../storage/indexedDbRunStore';
import type { WorkerEvent, WorkerRequest } from './protocol';
import { TrainingSession } from './trainingSession';
import { wasmPaths } from './wasmAssets';

declare const self: DedicatedWorkerGlobalScope;

const session = new TrainingSession((event: WorkerEvent) => {
  // Exported files move to the page without a copy.
  self.postMessage(event, event.type === 'exported' ? [event.bytes.buffer as ArrayBuffer] : []);
}, new IndexedDbRunStore(), { wasmPaths });

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  void session.handle(e.data);
};
