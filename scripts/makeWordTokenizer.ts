/**
 * Writes a word-level tokenizer.json for the tiny test checkpoints (vocab 512): piece i is "w<i>"
 * for i >= 3, with T5's special ids (0 <pad>, 1 </s>, 2 <unk>) and T5's post-processing
 * (append </s>). Text "w17 w42" encodes to [17, 42, 1]. A normalizer deletes "∅", so the label
 * text "∅" encodes to just [1] — the fixture batch has one such target.
 * Usage: npx tsx scripts/makeWordTokenizer.ts OUT_DIR [VOCAB_SIZE]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function wordTokenizerJson(vocabSize: number): object {
  const vocab: Record<string, number> = { '<pad>': 0, '</s>': 1, '<unk>': 2 };
  for (let i = 3; i < vocabSize; i++) vocab[`w${i}`] = i;
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '<pad>'), special(1, '</s>'), special(2, '<unk>')],
    normalizer: { type: 'Replace', pattern: { String: '∅' }, content: '' },
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: false },
    model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
  };
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: makeWordTokenizer.ts OUT_DIR [VOCAB_SIZE]');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'tokenizer.json'), JSON.stringify(wordTokenizerJson(Number(process.argv[3] ?? 512))));
}
