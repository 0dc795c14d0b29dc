/**
 * The model presets: parameter counts against the published figures, download sizes, source URLs.
 * The demo model's files themselves are checked in demoModel.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  formatDownloadSize,
  formatParameters,
  MODEL_PRESETS,
  presetById,
  presetSource,
  presetTokenizerSource,
  T5_SMALL,
  T5_V1_1_SMALL,
} from '../../../src/core/model/presets';
import { parameterCount } from '../../../src/core/model/t5Weights';

const preset = (id: string) => presetById(id)!;

describe('model presets', () => {
  it('offers the paper’s model first, then Flan-T5 small, T5 small, the base and large sizes, and the demo', () => {
    expect(MODEL_PRESETS.map((p) => p.id)).toEqual(['t5-small-lm-adapt', 'flan-t5-small', 't5-small', 't5-base-lm-adapt', 'flan-t5-base', 't5-large-lm-adapt', 'flan-t5-large', 'demo']);
    expect(MODEL_PRESETS.map((p) => p.repo)).toEqual([
      'google/t5-small-lm-adapt', 'google/flan-t5-small', 'google-t5/t5-small', 'google/t5-base-lm-adapt', 'google/flan-t5-base', 'google/t5-large-lm-adapt', 'google/flan-t5-large', undefined,
    ]);
    for (const p of MODEL_PRESETS) {
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.description).not.toContain('\n');
      expect(p.demo).toBe(p.id === 'demo');
    }
    expect(presetById('nope')).toBeUndefined();
  });

  it('parameter counts match the published figures: t5-small 60,506,624; T5 v1.1 / Flan-T5 small 76,961,152', () => {
    expect(parameterCount(T5_SMALL)).toBe(60_506_624);
    expect(parameterCount(T5_V1_1_SMALL)).toBe(76_961_152);
    expect(preset('t5-small').parameters).toBe(60_506_624);
    expect(preset('t5-small-lm-adapt').parameters).toBe(76_961_152);
    expect(preset('flan-t5-small').parameters).toBe(76_961_152);
    expect(formatParameters(preset('t5-small').parameters)).toBe('60.5M');
    expect(formatParameters(preset('flan-t5-small').parameters)).toBe('77M');
  });

  it('base and large carry their shapes, so their memory is known before a download', () => {
    expect(preset('flan-t5-base')).toMatchObject({ parameters: 247_577_856, config: { dModel: 768, numLayers: 12 } });
    expect(preset('t5-large-lm-adapt')).toMatchObject({ parameters: 783_150_080, config: { dModel: 1024, numLayers: 24 }, tokenizerRepo: 'google-t5/t5-small' });
    expect(formatDownloadSize(preset('flan-t5-large').downloadBytes)).toBe('about 3.1 GB');
    expect(preset('demo').config.dModel).toBe(256);
  });

  it('download sizes are the float32 weights plus the tokenizer, "about" so many MB', () => {
    for (const id of ['t5-small-lm-adapt', 'flan-t5-small', 't5-small', 'flan-t5-base', 'flan-t5-large'] as const) {
      const p = preset(id);
      expect(p.downloadBytes).toBeGreaterThan(p.parameters * 4);
      expect(p.downloadBytes).toBeLessThan(p.parameters * 4 + 5e6);
    }
    expect(formatDownloadSize(preset('flan-t5-small').downloadBytes)).toBe('about 310 MB');
    expect(formatDownloadSize(preset('t5-small').downloadBytes)).toBe('about 245 MB');
    expect(formatDownloadSize(1_160_000)).toBe('about 1.2 MB');
    expect(formatDownloadSize(12_000)).toBe('about 12 kB');
    expect(formatDownloadSize(2_400_000_000)).toBe('about 2.4 GB');
  });

  it('the Hub presets read from the Hub; the demo from the app’s own origin', () => {
    expect(presetSource(preset('flan-t5-small'), 'http://localhost:5173')).toBe('https://huggingface.co/google/flan-t5-small/resolve/main');
    expect(presetSource(preset('t5-small'), 'http://localhost:5173')).toBe('https://huggingface.co/google-t5/t5-small/resolve/main');
    expect(presetSource(preset('demo'), 'http://localhost:5173')).toBe('http://localhost:5173/demo-model');
    expect(presetSource(preset('demo'), 'https://example.org/studio/')).toBe('https://example.org/studio/demo-model');
    // The LM-adapted repo has no tokenizer.json; it shares t5-small's SentencePiece vocabulary.
    expect(presetTokenizerSource(preset('t5-small-lm-adapt'), 'x')).toBe('https://huggingface.co/google-t5/t5-small/resolve/main');
    expect(presetTokenizerSource(preset('flan-t5-small'), 'x')).toBe(presetSource(preset('flan-t5-small'), 'x'));
  });

  it('the demo says what it is: a small T5 pretrained for this app, served by it', () => {
    const demo = preset('demo');
    expect(demo.name).toBe('Demo model — a small T5 pretrained for this app');
    expect(demo.description).toMatch(/far weaker than a real T5/);
    expect(demo.repo).toBeUndefined();
  });
});
