/** `npm run bench` flags that choose what runs: --only and --jobs, and where the results go. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchDir, parseOptions } from '../../bench/perf/options';

describe('parseOptions', () => {
  it('runs every job but the profile after the step by default, the vocabulary views included, into latest.json', () => {
    const o = parseOptions([]);
    expect(o.vocabularyOnly).toBe(false);
    expect(o.phase2).toEqual(['scaling', 'scoring', 'memory', 'leak', 'vocabulary']);
    expect(o.out).toBe(path.join(benchDir, 'results', 'latest.json'));
  });

  it('--only=vocabulary measures only the vocabulary views, into their own file unless --out says', () => {
    expect(parseOptions(['--only=vocabulary', '--backends=wasm'])).toMatchObject({ vocabularyOnly: true, backends: ['wasm'], out: path.join(benchDir, 'results', 'vocabulary.json') });
    expect(parseOptions(['--only=vocabulary', '--out=/tmp/v.json']).out).toBe('/tmp/v.json');
  });

  it('--only=step runs no job afterwards, --jobs picks them', () => {
    expect(parseOptions(['--only=step']).phase2).toEqual([]);
    expect(parseOptions(['--jobs=vocabulary']).phase2).toEqual(['vocabulary']);
  });

  it('refuses an --only it does not know, saying which it takes', () => {
    expect(() => parseOptions(['--only=vocab'])).toThrow('--only=vocab: say --only=step or --only=vocabulary');
  });
});
