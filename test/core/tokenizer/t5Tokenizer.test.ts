/**
 * The real T5 vocabulary from ../shared/t5-tokenizer beside the checkout (reference data, read in
 * place, not copied); SHARED_DIR points elsewhere.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../../../src/core/io/modelFileError';
import { loadT5 } from '../../../src/core/model/loadT5';
import { T5Tokenizer } from '../../../src/core/tokenizer/t5Tokenizer';
import type { ModelSource } from '../../../src/core/io/modelSource';
import { nodeDirSource } from '../../../src/core/io/nodeDirSource';

const shared = process.env.SHARED_DIR ? pathToFileURL(`${process.env.SHARED_DIR}/`) : new URL('../../../../shared/', import.meta.url);
const dir = new URL('t5-tokenizer/', shared);
const read = (f: string) => JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
const tokenizer = T5Tokenizer.fromJson(read('tokenizer.json'), read('tokenizer_config.json'));

describe('T5Tokenizer with the stock t5-small vocabulary', () => {
  it.each([
    ['Hello world', [8774, 296, 1]],
    ['translate English to German: The house is wonderful.', [13959, 1566, 12, 2968, 10, 37, 629, 19, 1627, 5, 1]],
    ['The <extra_id_0> walks in <extra_id_1> park', [37, 32099, 10681, 16, 32098, 2447, 1]],
  ])('encodes %j as the README says', (text, ids) => {
    expect(tokenizer.encode(text)).toEqual(ids);
  });

  it('encodes a label as its pieces followed by </s> = 1', () => {
    const ids = tokenizer.encode('positive');
    expect(ids.length).toBeGreaterThan(1);
    expect(ids[ids.length - 1]).toBe(1);
    expect(tokenizer.token(ids[0]!)).toBe('▁positive');
    expect(tokenizer.decode(ids)).toBe('positive');
  });

  it('names vocabulary pieces for display', () => {
    expect(tokenizer.token(1)).toBe('</s>');
    expect(tokenizer.token(32099)).toBe('<extra_id_0>');
  });

  it('refuses a file that is not a tokenizer', () => {
    expect(() => T5Tokenizer.fromJson({ hello: 1 })).toThrow(ModelFileError);
  });

  it('comes with a model folder through loadT5', async () => {
    const fixture = nodeDirSource(new URL('../../fixtures/t5-tiny-relu', import.meta.url).pathname);
    const tokDir = nodeDirSource(dir.pathname);
    const withTokenizer: ModelSource = {
      description: 'fixture + real tokenizer',
      read: (file, o) => (file.startsWith('tokenizer') ? tokDir.read(file, o) : fixture.read(file, o)),
    };
    const loaded = await loadT5(withTokenizer);
    expect(loaded.tokenizer?.encode('Hello world')).toEqual([8774, 296, 1]);
    loaded.model.dispose();
  });
});
