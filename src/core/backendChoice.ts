/**
 * Choosing the compute backend by measurement: which backend a training run uses on this device
 * for this model shape, decided from a couple of timed steps per backend (worker/backendTrial.ts)
 * and remembered. Reports from other projects have WebGPU losing to WASM on small models and TF.js's
 * WebGPU at two thirds of WebGL on some GPUs, so a fixed order guesses wrong somewhere.
 * Pure: the worker plans and picks with it, the page stores its records (backendChoiceStore.ts).
 */
import type { BackendName, UsableBackend } from './backend';

export type { UsableBackend };
import type { T5Config } from './model/t5Config';

/** One backend's trial: its first (warm-up) step and the median of the timed ones, or why it failed. */
export interface BackendTiming {
  backend: BackendName;
  firstStepMs?: number;
  stepMs?: number;
  error?: string;
}

/** A measured choice for one device and shape, as the page stores it. */
export interface BackendRecord {
  key: string;
  chosen: BackendName;
  timings: BackendTiming[];
  /** ISO time of the measurement. */
  measuredAt: string;
}

/** What the page sends with a start: its remembered records and the person's override, if any. */
export interface BackendPreferences {
  records: BackendRecord[];
  override?: BackendName;
}

/** The shape that decides speed: the model's dimensions and the run's batch, lengths and ensemble. */
export interface RunShape {
  batchSize: number;
  promptLength: number;
  maxInputTokens: number;
  ensembleSize: number;
}

export type BackendPlan =
  /** Nothing to choose: fewer than two usable backends, or the override is not usable here. */
  | { kind: 'keep'; note?: string }
  | { kind: 'use'; backend: BackendName; because: 'override' | 'remembered'; record?: BackendRecord }
  | { kind: 'measure'; backends: BackendName[]; key: string };

/** Preference among equally fast backends, and the order trials run in. */
const ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const NAMES: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** The device part of the key: every usable backend and what it runs on, in a fixed order. */
export function deviceKey(usable: UsableBackend[]): string {
  return [...usable]
    .sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name))
    .map((u) => `${u.name}=${u.device}`)
    .join('|');
}

/** The shape part of the key (the model by its dimensions, not its name: two models of one shape run alike). */
export function shapeKey(config: T5Config, run: RunShape): string {
  const c = config;
  const model = `d${c.dModel}-kv${c.dKv}-h${c.numHeads}-ff${c.dFf}${c.isGated ? 'g' : ''}-L${c.numLayers}+${c.numDecoderLayers}-v${c.vocabSize}`;
  return `${model}/b${run.batchSize}-p${run.promptLength}-n${run.maxInputTokens}-k${run.ensembleSize}`;
}

export function choiceKey(usable: UsableBackend[], config: T5Config, run: RunShape): string {
  return `${deviceKey(usable)}#${shapeKey(config, run)}`;
}

/** The warm-up step (shader compilation, first uploads) and the median of the steps after it. */
export function summariseSteps(backend: BackendName, stepsMs: number[]): BackendTiming {
  if (stepsMs.length === 0) return { backend, error: 'no step ran' };
  const [first, ...rest] = stepsMs;
  const timed = (rest.length ? rest : [first!]).slice().sort((a, b) => a - b);
  const mid = timed.length >> 1;
  const stepMs = timed.length % 2 ? timed[mid]! : (timed[mid - 1]! + timed[mid]!) / 2;
  return { backend, firstStepMs: first, stepMs };
}

/** The backend with the shortest step among those that ran; equal times go to the earlier in ORDER. */
export function fastest(timings: BackendTiming[]): BackendName | undefined {
  const ran = timings.filter((t) => t.stepMs !== undefined && Number.isFinite(t.stepMs) && !t.error);
  ran.sort((a, b) => a.stepMs! - b.stepMs! || ORDER.indexOf(a.backend) - ORDER.indexOf(b.backend));
  return ran[0]?.backend;
}

const LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };

/**
 * What to train on: the person's override when it is usable here; else the remembered choice for
 * this key when it is still usable; else measure every usable backend. With fewer than two usable
 * backends there is nothing to choose and nothing is measured.
 */
export function planBackend(usable: UsableBackend[], prefs: BackendPreferences, key: string): BackendPlan {
  const names = ORDER.filter((n) => usable.some((u) => u.name === n));
  if (prefs.override) {
    if (names.includes(prefs.override)) return { kind: 'use', backend: prefs.override, because: 'override' };
    if (names.length < 2) return { kind: 'keep', note: `${LABEL[prefs.override]} was chosen, but it is not available on this device` };
  }
  if (names.length < 2) return { kind: 'keep' };
  const record = prefs.records.find((r) => r.key === key);
  if (record && names.includes(record.chosen)) return { kind: 'use', backend: record.chosen, because: 'remembered', record };
  return { kind: 'measure', backends: names, key };
}

/** The newest record for each key first, at most `max` of them (older shapes fall off). */
export function rememberRecord(records: BackendRecord[], record: BackendRecord, max = 20): BackendRecord[] {
  return [record, ...records.filter((r) => r.key !== record.key)].slice(0, max);
}

function isTiming(t: unknown): t is BackendTiming {
  if (!t || typeof t !== 'object') return false;
  const o = t as Record<string, unknown>;
  const optionalNumber = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
  return NAMES.includes(o.backend as BackendName) && optionalNumber(o.stepMs) && optionalNumber(o.firstStepMs) && (o.error === undefined || typeof o.error === 'string');
}

/** Stored records read back; anything damaged or from another version is dropped (it only costs a re-measurement). */
export function parseRecords(text: string | null | undefined): BackendRecord[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((r): r is BackendRecord => {
    if (!r || typeof r !== 'object') return false;
    const o = r as Record<string, unknown>;
    return typeof o.key === 'string' && NAMES.includes(o.chosen as BackendName) && typeof o.measuredAt === 'string' && Array.isArray(o.timings) && o.timings.every(isTiming);
  });
}

/** "WebGPU 120 ms · WebGL 180 ms · WebAssembly 1.50 s (failed: …)", fastest first, for the badge. */
export function describeTimings(timings: BackendTiming[]): string {
  const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
  const ran = timings.filter((t) => t.stepMs !== undefined && !t.error).sort((a, b) => a.stepMs! - b.stepMs!);
  const failed = timings.filter((t) => t.error || t.stepMs === undefined);
  return [...ran.map((t) => `${LABEL[t.backend]} ${ms(t.stepMs!)}`), ...failed.map((t) => `${LABEL[t.backend]} failed (${t.error ?? 'no step ran'})`)].join(' · ');
}

/** How the backend a run trains on was chosen, with the timings behind it (shown beside the badge). */
export interface MeasuredChoice {
  because: 'measured' | 'remembered' | 'override';
  timings?: BackendTiming[];
  measuredAt?: string;
}
