/** A model the studio can load by name: a preset's id or repo, or any Hub repo id (from a link). */
import { hubUrl } from '../../core/io/modelSource';
import { findKnownT5 } from '../../core/model/t5Catalogue';
import { MODEL_PRESETS, presetSource, presetTokenizerSource, type ModelPreset } from '../../core/model/presets';
import type { ModelSpec } from '../../core/worker/protocol';

export function appOrigin(): string {
  return new URL((import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/', location.origin).href;
}

export function presetSpec(p: ModelPreset): ModelSpec {
  return { kind: 'url', id: p.repo ?? 'demo', base: presetSource(p, appOrigin()), tokenizerBase: presetTokenizerSource(p, appOrigin()) };
}

/** The preset a name refers to (its id, or its Hub repo), if any. */
export function findPreset(name: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((p) => p.id === name || p.repo === name);
}

export function modelSpecFor(name: string): ModelSpec {
  const preset = findPreset(name);
  if (preset) return presetSpec(preset);
  // The T5 v1.1 and LM-adapted repos ship no tokenizer.json; the catalogue knows where one is.
  const tokenizerRepo = findKnownT5(name)?.tokenizerRepo;
  return { kind: 'url', id: name, base: hubUrl(name), ...(tokenizerRepo ? { tokenizerBase: hubUrl(tokenizerRepo) } : {}) };
}
