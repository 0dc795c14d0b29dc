/**
 * Shared machinery for the fuzz suite (test/fuzz/*.fuzz.test.ts): run one reader on one generated
 * input and insist that it ends in a valid result or in one of the reader's typed errors, with a
 * human message, within a time bound; count what happened so every file can print a summary
 * ("safetensors: 3000 inputs, 2890 typed errors, 110 valid").
 *
 * Anything else (TypeError, RangeError, 'Invalid array length', a plain Error, a non-Error throw,
 * a slow input) fails the property, and fast-check then shrinks the input and prints the seed.
 */
import fc from 'fast-check';

/** A typed error class a reader is allowed to throw for bad input. */
export type ErrorClass = abstract new (...args: any[]) => Error;

/** Fixed seed for every property, so CI runs the same inputs every time. FUZZ_SEED overrides it. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20240611);

/** FUZZ_SCALE=4 runs four times the inputs (a longer local session); the CI default is 1. */
export const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);

/** The numRuns to use for a property that CI runs `n` times. */
export const runs = (n: number): number => Math.max(1, Math.round(n * FUZZ_SCALE));

/** fast-check parameters: the fixed seed and the given number of runs (times FUZZ_SCALE). */
export function fcParams<T>(numRuns: number): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: runs(numRuns), verbose: 1 };
}

/**
 * Longest time one input may take before it counts as a hang. (Measured after the call returns:
 * a truly endless synchronous loop is left to vitest's test timeout and the CI job's.)
 */
export const MAX_INPUT_MS = 2000;

export interface FuzzCounter {
  readonly reader: string;
  inputs: number;
  typedErrors: number;
  valid: number;
  /** Typed errors by `name:code`, for the summary. */
  readonly codes: Map<string, number>;
  /** The slowest input seen, in ms. */
  slowestMs: number;
}

const counters = new Map<string, FuzzCounter>();

/** The counter for one reader (created on first use; shared by every property that names it). */
export function counter(reader: string): FuzzCounter {
  let c = counters.get(reader);
  if (!c) {
    c = { reader, inputs: 0, typedErrors: 0, valid: 0, codes: new Map(), slowestMs: 0 };
    counters.set(reader, c);
  }
  return c;
}

export type Outcome<T> = { kind: 'valid'; value: T } | { kind: 'error'; error: Error };

export class FuzzFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FuzzFailure';
  }
}

function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message.slice(0, 300)}`;
  return `a non-Error value (${typeof e}: ${String(e).slice(0, 100)})`;
}

function codeOf(e: Error): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? `${e.name}:${code}` : e.name;
}

/** Longer than this and an error message is not something a person reads. */
export const MAX_MESSAGE_CHARS = 5_000;

/** Check that a thrown value is one of the allowed typed errors with a usable message. */
function checkError(e: unknown, allowed: readonly ErrorClass[], reader: string): Error {
  if (e instanceof FuzzFailure) throw e; // a check inside `validate` failed
  if (!(e instanceof Error) || !allowed.some((cls) => e instanceof cls)) {
    throw new FuzzFailure(
      `${reader}: expected ${allowed.map((c) => c.name).join(' or ')} or a valid result, got ${describeThrown(e)}`,
      { cause: e },
    );
  }
  const message = e.message;
  // A human message: some words, not empty, not "undefined"/"[object Object]" (outside a
  // parenthesised technical detail, which may quote a library's own error), not a whole file.
  const prose = String(message).replace(/\(.*\)/s, '');
  if (typeof message !== 'string' || message.trim().length < 10 || /\bundefined\b|\[object Object\]/.test(prose)) {
    throw new FuzzFailure(`${reader}: ${e.name} has no usable message: ${JSON.stringify(String(message).slice(0, 300))}`);
  }
  if (message.length > MAX_MESSAGE_CHARS) {
    throw new FuzzFailure(`${reader}: ${e.name} message is ${message.length} characters long: ${JSON.stringify(message.slice(0, 300))}…`);
  }
  return e;
}

function record<T>(c: FuzzCounter, outcome: Outcome<T>, ms: number): void {
  c.inputs++;
  c.slowestMs = Math.max(c.slowestMs, ms);
  if (outcome.kind === 'valid') c.valid++;
  else {
    c.typedErrors++;
    const code = codeOf(outcome.error);
    c.codes.set(code, (c.codes.get(code) ?? 0) + 1);
  }
}

function checkTime(reader: string, ms: number, maxMs: number): void {
  if (ms > maxMs) throw new FuzzFailure(`${reader}: one input took ${ms.toFixed(0)} ms (limit ${maxMs} ms): treated as a hang`);
}

export interface TypedOutcomeOptions<T> {
  /** Reader name for the counter and messages. */
  reader: string;
  /** Extra checks on a valid result (may throw FuzzFailure or an expect() error). */
  validate?: (value: T) => void;
  maxMs?: number;
  /** Count this input (default true); false for helper calls inside one input. */
  count?: boolean;
}

/**
 * Run `fn` on one input: a valid result (checked by `validate`) or an instance of one of
 * `allowed` with a human message, within `maxMs`. Returns which it was; throws FuzzFailure otherwise.
 */
export function expectTypedOutcome<T>(fn: () => T, allowed: readonly ErrorClass[], options: TypedOutcomeOptions<T>): Outcome<T> {
  const start = performance.now();
  let outcome: Outcome<T>;
  try {
    outcome = { kind: 'valid', value: fn() };
  } catch (e) {
    outcome = { kind: 'error', error: checkError(e, allowed, options.reader) };
  }
  return settle(outcome, start, options);
}

/** The same for async readers (loadT5). */
export async function expectTypedOutcomeAsync<T>(
  fn: () => Promise<T>,
  allowed: readonly ErrorClass[],
  options: TypedOutcomeOptions<T>,
): Promise<Outcome<T>> {
  const start = performance.now();
  let outcome: Outcome<T>;
  try {
    outcome = { kind: 'valid', value: await fn() };
  } catch (e) {
    outcome = { kind: 'error', error: checkError(e, allowed, options.reader) };
  }
  return settle(outcome, start, options);
}

/** The checks after one input, sync or async: the time limit, `validate` on a valid result, the count. */
function settle<T>(outcome: Outcome<T>, start: number, options: TypedOutcomeOptions<T>): Outcome<T> {
  const { reader, validate, maxMs = MAX_INPUT_MS, count = true } = options;
  const ms = performance.now() - start;
  checkTime(reader, ms, maxMs);
  if (outcome.kind === 'valid' && validate) validate(outcome.value);
  if (count) record(counter(reader), outcome, ms);
  return outcome;
}

/** "safetensors: 3000 inputs, 2890 typed errors, 110 valid (slowest 12 ms; ModelFileError:truncated 1200, ...)". */
export function summaryLine(reader: string): string {
  const c = counter(reader);
  const codes = [...c.codes.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return `${c.reader}: ${c.inputs} inputs, ${c.typedErrors} typed errors, ${c.valid} valid (slowest ${c.slowestMs.toFixed(0)} ms${codes ? `; ${codes}` : ''})`;
}

/** Print one summary line per reader (call from afterAll). */
export function printSummary(...readers: string[]): void {
  const lines = readers.map(summaryLine);
  console.log(`[fuzz seed ${FUZZ_SEED}]\n` + lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Byte-level mutation of real files.

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; bits: number[] }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'fill'; at: number; length: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'append'; bytes: Uint8Array };

/**
 * Mutations of a file of `length` bytes. Positions fall in the focus regions (the header, a zip's
 * directory: where a flipped bit matters) with probability ~3/4, anywhere otherwise. A number
 * `focus` means the region [0, focus).
 */
export function mutationArb(length: number, focus: number | ReadonlyArray<readonly [number, number]> = length): fc.Arbitrary<Mutation> {
  const anywhere = fc.integer({ min: 0, max: Math.max(0, length - 1) });
  const regions = (typeof focus === 'number' ? [[0, focus] as const] : focus).map(([a, b]) => [Math.max(0, Math.min(a, length - 1)), Math.max(0, Math.min(b, length) - 1)] as const);
  const inFocus = fc.oneof(...regions.map(([a, b]) => fc.integer({ min: a, max: Math.max(a, b) })));
  const pos = fc.oneof({ arbitrary: inFocus, weight: 3 }, { arbitrary: anywhere, weight: 1 });
  const smallBytes = fc.uint8Array({ minLength: 1, maxLength: 16 });
  return fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.oneof(pos, fc.integer({ min: 0, max: Math.min(length, 16) })) }),
    fc.record({ kind: fc.constant('flip' as const), bits: fc.array(fc.tuple(pos, fc.integer({ min: 0, max: 7 })).map(([p, b]) => p * 8 + b), { minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('overwrite' as const), at: pos, bytes: smallBytes }),
    fc.record({ kind: fc.constant('fill' as const), at: pos, length: fc.integer({ min: 1, max: 64 }), value: fc.constantFrom(0x00, 0xff, 0x7f, 0x80, 0x30) }),
    fc.record({ kind: fc.constant('insert' as const), at: pos, bytes: smallBytes }),
    fc.record({ kind: fc.constant('delete' as const), at: pos, length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('append' as const), bytes: smallBytes }),
  );
}

/** Apply mutations in order to a copy of `base`. */
export function mutate(base: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = base.slice();
  for (const m of mutations) {
    switch (m.kind) {
      case 'truncate':
        b = b.slice(0, Math.min(m.at, b.length));
        break;
      case 'flip':
        for (const bit of m.bits) {
          const i = bit >> 3;
          if (i < b.length) b[i]! ^= 1 << (bit & 7);
        }
        break;
      case 'overwrite':
        for (let k = 0; k < m.bytes.length && m.at + k < b.length; k++) b[m.at + k] = m.bytes[k]!;
        break;
      case 'fill':
        b.fill(m.value, Math.min(m.at, b.length), Math.min(m.at + m.length, b.length));
        break;
      case 'insert': {
        const at = Math.min(m.at, b.length);
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b.subarray(0, at));
        out.set(m.bytes, at);
        out.set(b.subarray(at), at + m.bytes.length);
        b = out;
        break;
      }
      case 'delete': {
        const at = Math.min(m.at, b.length);
        const out = new Uint8Array(b.length - Math.min(m.length, b.length - at));
        out.set(b.subarray(0, at));
        out.set(b.subarray(at + m.length), at);
        b = out;
        break;
      }
      case 'append': {
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b);
        out.set(m.bytes, b.length);
        b = out;
        break;
      }
    }
  }
  return b;
}

/** One to three mutations of a file. */
export function mutatedArb(base: Uint8Array, focus?: number | ReadonlyArray<readonly [number, number]>): fc.Arbitrary<Uint8Array> {
  return fc.array(mutationArb(base.length, focus), { minLength: 1, maxLength: 3 }).map((ms) => mutate(base, ms));
}

// ---------------------------------------------------------------------------------------------
// JSON-level mutation, for config.json, tokenizer.json, adapter_config.json and safetensors headers.

/** Any JSON value, including odd numbers and strings the readers must survive. */
export const jsonValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 },
  {
    arbitrary: fc.constantFrom<unknown>(
      null, true, false, 0, -1, 1, 0.5, -0.0, 1e300, -1e300, 2 ** 53, 2 ** 53 + 2, 2 ** 64, Number.MAX_SAFE_INTEGER, 1e9, 4294967295,
      '', 'F32', 'NaN', '1e400', '\u0000', '\ud800', [], {}, [1, 2], [[[]]], { a: null },
    ),
    weight: 2,
  },
  { arbitrary: deepArb(), weight: 1 },
);

/**
 * A deeply nested array or object, as a marker (fast-check's own reporter would overflow the stack
 * printing the real thing): toJsonText writes it out, materialize() builds it.
 */
export class Deep {
  constructor(
    readonly depth: number,
    readonly objects: boolean,
  ) {}
  [fc.toStringMethod](): string {
    return `Deep(${this.depth} levels of ${this.objects ? '{"a":…}' : '[…]'})`;
  }
}

/** A deeply nested array or object (JSON.parse copes, JSON.stringify and recursive code do not). */
export function deepArb(): fc.Arbitrary<unknown> {
  return fc.tuple(fc.integer({ min: 5_000, max: 20_000 }), fc.boolean()).map(([depth, objects]) => new Deep(depth, objects));
}

/** Build a nested value without recursion. */
export function deepValue(depth: number, objects = false): unknown {
  let v: unknown = objects ? {} : [];
  for (let i = 0; i < depth; i++) v = objects ? { a: v } : [v];
  return v;
}

/** A JSON value with every Deep marker replaced by the real nested value (a fresh copy). */
export function materialize(value: unknown): unknown {
  if (value instanceof Deep) return deepValue(value.depth, value.objects);
  if (Array.isArray(value)) return value.map(materialize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v)]));
  return value;
}

/** Deeply nested JSON text: `[[[...]]]` or `{"a":{"a":...}}`, `depth` levels. */
export function deepJsonText(depth: number, objects = false): string {
  return objects ? '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
}

type JsonPath = Array<string | number>;

/** Every path to a value inside `root` (root included as []), capped, breadth first. */
export function jsonPaths(root: unknown, cap = 5000): JsonPath[] {
  const out: JsonPath[] = [[]];
  const queue: Array<[unknown, JsonPath]> = [[root, []]];
  while (queue.length > 0 && out.length < cap) {
    const [v, path] = queue.shift()!;
    if (v instanceof Deep) continue;
    if (Array.isArray(v)) {
      v.forEach((child, i) => {
        out.push([...path, i]);
        queue.push([child, [...path, i]]);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        out.push([...path, k]);
        queue.push([child, [...path, k]]);
      }
    }
  }
  return out;
}

export type JsonEdit =
  | { kind: 'replace'; path: number; value: unknown }
  | { kind: 'delete'; path: number }
  | { kind: 'add'; path: number; key: string; value: unknown };

/** Edits of a JSON document; `path` is an index into jsonPaths(doc) (taken modulo its length). */
export function jsonEditArb(keys: fc.Arbitrary<string> = fc.string({ maxLength: 12 })): fc.Arbitrary<JsonEdit> {
  const path = fc.nat();
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('replace' as const), path, value: jsonValueArb }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('delete' as const), path }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('add' as const), path, key: keys, value: jsonValueArb }), weight: 1 },
  );
}

/** A copy of a JSON value (Deep markers, being immutable, are shared). */
function cloneJson(value: unknown): unknown {
  if (value instanceof Deep) return value;
  if (Array.isArray(value)) return value.map(cloneJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneJson(v)]));
  return value;
}

/** Set an own property, even one called "__proto__". */
function setKey(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Apply edits to a copy of `doc` (the original and the edits' values stay intact). */
export function applyJsonEdits(doc: unknown, edits: readonly JsonEdit[]): unknown {
  let root = cloneJson(doc);
  for (const edit of edits) {
    const paths = jsonPaths(root);
    const path = paths[edit.path % paths.length]!;
    const value = edit.kind === 'delete' ? undefined : cloneJson(edit.value);
    if (path.length === 0) {
      if (edit.kind === 'replace') root = value;
      else if (edit.kind === 'add' && root && typeof root === 'object' && !Array.isArray(root) && !(root instanceof Deep)) setKey(root, edit.key, value);
      continue;
    }
    const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root) as Record<string | number, unknown>;
    const key = path[path.length - 1]!;
    if (edit.kind === 'replace') setKey(parent, key, value);
    else if (edit.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else {
      const target = parent[key];
      if (target && typeof target === 'object' && !Array.isArray(target) && !(target instanceof Deep)) setKey(target, edit.key, value);
      else setKey(parent, key, { [edit.key]: value });
    }
  }
  return root;
}

/** A piece of output text on toJsonText's work stack (never a JSON value). */
class Literal {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may be deeply nested (JSON.stringify would overflow the stack). */
export function toJsonText(value: unknown): string {
  const parts: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v instanceof Literal) parts.push(v.text);
    else if (v instanceof Deep) parts.push(deepJsonText(v.depth, v.objects));
    else if (Array.isArray(v)) {
      parts.push('[');
      stack.push(new Literal(']'));
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push(v[i]);
        if (i > 0) stack.push(new Literal(','));
      }
    } else if (v && typeof v === 'object') {
      parts.push('{');
      stack.push(new Literal('}'));
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push(entries[i]![1]);
        stack.push(new Literal(JSON.stringify(entries[i]![0]) + ':'));
        if (i > 0) stack.push(new Literal(','));
      }
    } else parts.push(JSON.stringify(v) ?? 'null');
  }
  return parts.join('');
}

/** Invalid UTF-8 sequences: lone continuation bytes, overlongs, surrogates, truncated sequences, 0xFF. */
export const invalidUtf8Arb: fc.Arbitrary<Uint8Array> = fc.constantFrom(
  [0x80], [0xbf], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0xfe], [0xe2, 0x82], [0xf0, 0x9f, 0x98],
).map((b) => new Uint8Array(b));

export const enc = new TextEncoder();

export { concat } from '../helpers/bytes';

/** A safetensors file from a header given as text and a data section. */
export function safetensorsBytes(headerText: string, data: Uint8Array = new Uint8Array(0), headerLength?: bigint): Uint8Array {
  const header = enc.encode(headerText);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

/** The JSON header of a safetensors file and where its data starts. */
export function safetensorsHeader(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true));
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>, data: bytes.subarray(8 + n) };
}
