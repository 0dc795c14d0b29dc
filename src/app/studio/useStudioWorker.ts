/**
 * The page's handle on the training worker: one worker per page, its events folded into
 * StudioState, exported files handed to the browser as downloads, predictions awaited by id.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { loadPreferences, saveRecord } from '../../core/backendChoiceStore';
import type { WorkerEvent, WorkerRequest } from '../../core/worker/protocol';
import { initialStudioState, studioReducer, type StudioAction, type StudioState } from './studioState';
import { pageStorage } from './pageStorage';
import { saveBytes } from './saveBytes';

export interface StudioWorker {
  state: StudioState;
  send(request: WorkerRequest): void;
  dispatch(action: StudioAction): void;
  /** Send a request carrying a requestId and resolve with the matching reply. */
  request<E extends Extract<WorkerEvent, { requestId: number }>['type'] | 'exported'>(make: (requestId: number) => WorkerRequest, reply: E): Promise<Extract<WorkerEvent, { type: E }>>;
}

/** Requests whose reply is awaited by id: an error during one rejects what is waiting. */
const AWAITED = new Set<string>(['export', 'evaluate', 'predict', 'vocabulary-map', 'interpret', 'read-example', 'compare-prompts']);

export function useStudioWorker(): StudioWorker {
  const [state, dispatch] = useReducer(studioReducer, initialStudioState);
  const worker = useRef<Worker>(undefined);
  const waiting = useRef(new Map<number, { reply: string; resolve: (e: WorkerEvent) => void; reject: (e: Error) => void }>());
  const nextId = useRef(1);

  useEffect(() => {
    const w = new Worker(new URL('../../core/worker/trainingWorker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (e: MessageEvent<WorkerEvent>) => {
      const event = e.data;
      if (event.type === 'exported' && event.requestId === undefined) saveBytes(event.bytes, event.fileName);
      if (event.type === 'backend-measured') saveRecord(pageStorage(), event.record);
      if ('requestId' in event && event.requestId !== undefined) {
        const w8 = waiting.current.get(event.requestId);
        if (w8 && w8.reply === event.type) {
          waiting.current.delete(event.requestId);
          w8.resolve(event);
        }
      }
      if (event.type === 'error' && AWAITED.has(event.during)) {
        for (const [id, w8] of waiting.current) {
          waiting.current.delete(id);
          w8.reject(new Error(event.message));
        }
      }
      dispatch(event);
    };
    w.onerror = (e) => dispatch({ type: 'error', message: `The training worker crashed: ${e.message}. Reload the page; your runs are saved.`, during: 'start' });
    return () => {
      w.terminate();
      worker.current = undefined;
    };
  }, []);

  // A run starts with the remembered backend choices, so the worker measures only what it has not.
  const send = useCallback((request: WorkerRequest) => worker.current?.postMessage(request.type === 'start' && !request.backendPreferences ? { ...request, backendPreferences: loadPreferences(pageStorage()) } : request), []);
  const request = useCallback<StudioWorker['request']>(
    (make, reply) =>
      new Promise((resolve, reject) => {
        const id = nextId.current++;
        waiting.current.set(id, { reply, resolve: resolve as (e: WorkerEvent) => void, reject });
        worker.current?.postMessage(make(id));
      }),
    [],
  );
  return { state, send, dispatch, request };
}
