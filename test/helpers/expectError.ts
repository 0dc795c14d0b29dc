/**
 * One way for tests to say "this must fail with that error": run the code, insist that it throws
 * (or rejects with) an instance of the given class, optionally with a given `code` and a message
 * that contains each given text or matches each given pattern, and hand the error back for
 * further checks.
 *
 *   const e = expectError(() => parseSafetensors(bytes), ModelFileError, { code: 'truncated', message: ['1000 bytes'] });
 *   const e = await expectRejection(loadT5(source), ModelFileError, { code: 'network' });
 */
import { expect } from 'vitest';

/** An error class (abstract ones included) whose instances a test expects. */
export type ErrorClass<E extends Error> = abstract new (...args: any[]) => E;

/** The type of an error's `code` field (the typed errors of core/ carry one), or never. */
type CodeOf<E> = E extends { readonly code: infer C } ? C : never;

/** What the error must be besides an instance of its class. */
export interface ErrorExpectation<E extends Error = Error> {
  /** The error's `code` field. */
  code?: CodeOf<E>;
  /** Text the message must contain, or a pattern it must match; a list means all of them. */
  message?: string | RegExp | readonly (string | RegExp)[];
}

/** Check one thrown or rejected value against the class and the expectation; returns it typed. */
function checkError<E extends Error>(thrown: unknown, type: ErrorClass<E>, expected: ErrorExpectation<E>): E {
  expect(thrown).toBeInstanceOf(type);
  const e = thrown as E;
  if (expected.code !== undefined) expect((e as { code?: unknown }).code, e.message).toBe(expected.code);
  const patterns = expected.message === undefined ? [] : Array.isArray(expected.message) ? expected.message : [expected.message];
  for (const p of patterns as (string | RegExp)[]) {
    if (typeof p === 'string') expect(e.message).toContain(p);
    else expect(e.message).toMatch(p);
  }
  return e;
}

/** Run `fn`, which must throw an instance of `type` matching `expected`; returns the error. */
export function expectError<E extends Error>(fn: () => unknown, type: ErrorClass<E>, expected: ErrorExpectation<E> = {}): E {
  try {
    fn();
  } catch (e) {
    return checkError(e, type, expected);
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}

/** Await `run` (a promise, or a function returning one), which must reject with an instance of `type` matching `expected`; returns the error. */
export async function expectRejection<E extends Error>(
  run: Promise<unknown> | (() => Promise<unknown>),
  type: ErrorClass<E>,
  expected: ErrorExpectation<E> = {},
): Promise<E> {
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (e) {
    return checkError(e, type, expected);
  }
  throw new Error(`expected a ${type.name}, but the promise resolved`);
}
