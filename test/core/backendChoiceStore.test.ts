// Where the page remembers backend choices: read back, replaced per key, and harmless when storage fails.
import { describe, expect, it } from 'vitest';
import type { BackendRecord } from '../../src/core/backendChoice';
import { forgetRecords, loadPreferences, OVERRIDE_KEY, RECORDS_KEY, saveOverride, saveRecord, type KeyValueStore } from '../../src/core/backendChoiceStore';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const failing: KeyValueStore = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

const record = (key: string, chosen: BackendRecord['chosen'], stepMs: number): BackendRecord => ({ key, chosen, timings: [{ backend: chosen, firstStepMs: 2 * stepMs, stepMs }], measuredAt: '2026-12-02T13:00:00.000Z' });

describe('backendChoiceStore', () => {
  it('starts empty, then returns the records saved, newest first, one per key', () => {
    const store = memoryStore();
    expect(loadPreferences(store)).toEqual({ records: [], override: undefined });
    saveRecord(store, record('a', 'wasm', 900));
    saveRecord(store, record('b', 'webgpu', 100));
    saveRecord(store, record('a', 'webgl', 300));
    expect(loadPreferences(store).records).toEqual([record('a', 'webgl', 300), record('b', 'webgpu', 100)]);
    expect(JSON.parse(store.data.get(RECORDS_KEY)!)).toHaveLength(2);
    forgetRecords(store);
    expect(loadPreferences(store).records).toEqual([]);
  });

  it('remembers an override until it is cleared, and ignores a stored value that is no backend', () => {
    const store = memoryStore();
    saveOverride(store, 'webgl');
    expect(loadPreferences(store).override).toBe('webgl');
    saveOverride(store, undefined);
    expect(store.data.has(OVERRIDE_KEY)).toBe(false);
    store.data.set(OVERRIDE_KEY, 'tpu');
    expect(loadPreferences(store).override).toBeUndefined();
  });

  it('reads a damaged store as empty', () => {
    const store = memoryStore();
    store.data.set(RECORDS_KEY, '[{"key": 1}');
    expect(loadPreferences(store).records).toEqual([]);
    // Writing over it works.
    saveRecord(store, record('a', 'wasm', 1));
    expect(loadPreferences(store).records).toHaveLength(1);
  });

  it('treats blocked or full storage as empty, without throwing', () => {
    expect(loadPreferences(failing)).toEqual({ records: [], override: undefined });
    expect(() => saveRecord(failing, record('a', 'wasm', 1))).not.toThrow();
    expect(() => saveOverride(failing, 'wasm')).not.toThrow();
    expect(() => forgetRecords(failing)).not.toThrow();
    expect(loadPreferences(undefined)).toEqual({ records: [], override: undefined });
  });
});
