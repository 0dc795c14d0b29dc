/** The page's localStorage, or undefined where the browser blocks it (some privacy modes throw on access). */
import type { KeyValueStore } from '../../core/backendChoiceStore';

export function pageStorage(): KeyValueStore | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}
