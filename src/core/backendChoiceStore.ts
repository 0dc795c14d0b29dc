/**
 * Where the page remembers backend choices (backendChoice.ts): the measured record per device and
 * shape, and the person's override, in a key-value store (the page's localStorage). Storage that
 * is missing, full or blocked only means measuring again, so its errors are swallowed here.
 */
import type { BackendName } from './backend';
import { parseRecords, rememberRecord, type BackendPreferences, type BackendRecord } from './backendChoice';

/** The part of the Web Storage API used (localStorage in the page; a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const RECORDS_KEY = 'prompt-tuning-studio.backend-choices.v1';
export const OVERRIDE_KEY = 'prompt-tuning-studio.backend-override.v1';
const OVERRIDES: BackendName[] = ['webgpu', 'webgl', 'wasm'];

function read(store: KeyValueStore | undefined, key: string): string | null {
  try {
    return store?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(store: KeyValueStore | undefined, key: string, value: string | undefined): void {
  try {
    if (value === undefined) store?.removeItem(key);
    else store?.setItem(key, value);
  } catch {
    // Not remembered: the next run measures again.
  }
}

export function loadPreferences(store: KeyValueStore | undefined): BackendPreferences {
  const override = read(store, OVERRIDE_KEY) as BackendName | null;
  return { records: parseRecords(read(store, RECORDS_KEY)), override: override && OVERRIDES.includes(override) ? override : undefined };
}

export function saveRecord(store: KeyValueStore | undefined, record: BackendRecord): void {
  write(store, RECORDS_KEY, JSON.stringify(rememberRecord(parseRecords(read(store, RECORDS_KEY)), record)));
}

/** The person's choice, or undefined for "the fastest measured". */
export function saveOverride(store: KeyValueStore | undefined, backend: BackendName | undefined): void {
  write(store, OVERRIDE_KEY, backend && OVERRIDES.includes(backend) ? backend : undefined);
}

/** Forget the measurements (the badge's "measure again"). */
export function forgetRecords(store: KeyValueStore | undefined): void {
  write(store, RECORDS_KEY, undefined);
}
