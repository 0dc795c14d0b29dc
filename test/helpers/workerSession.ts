/**
 * The worker's logic driven in Node through its message protocol, as the worker drives it: a
 * TrainingSession whose events are collected in order and picked out by type. The run store is a
 * fresh IndexedDB (fake-indexeddb) unless one is shared, e.g. by two tabs or a reload.
 */
import 'fake-indexeddb/auto';
import type { BackendOptions } from '../../src/core/backend';
import { IndexedDbRunStore } from '../../src/core/storage/indexedDbRunStore';
import type { RunLocks } from '../../src/core/storage/runLocks';
import type { WorkerEvent } from '../../src/core/worker/protocol';
import { TrainingSession } from '../../src/core/worker/trainingSession';

export interface WorkerSessionOptions {
  store?: IndexedDbRunStore;
  backendOptions?: BackendOptions;
  locks?: RunLocks;
}

export interface WorkerSession {
  s: TrainingSession;
  /** Every event the session emitted, in order. */
  events: WorkerEvent[];
  /** The events of one type, in order. */
  of<T extends WorkerEvent['type']>(type: T): Array<Extract<WorkerEvent, { type: T }>>;
  store: IndexedDbRunStore;
}

export function workerSession(options: WorkerSessionOptions = {}): WorkerSession {
  const store = options.store ?? new IndexedDbRunStore(`session-${Math.random()}`);
  const events: WorkerEvent[] = [];
  const s = new TrainingSession((e) => events.push(e), store, options.backendOptions, options.locks);
  const of = <T extends WorkerEvent['type']>(type: T) => events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);
  return { s, events, of, store };
}
