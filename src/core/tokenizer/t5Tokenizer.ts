/** The model's tokenizer (tokenizer.json, via @huggingface/tokenizers) with the few calls the app needs. */
import { Tokenizer } from '@huggingface/tokenizers';
import { ModelFileError } from '../io/modelFileError';
import { jsonPreview } from '../io/jsonPreview';

/** A damaged tokenizer.json, as a ModelFileError naming what failed and the library's reason. */
function damaged(what: string, e: unknown): ModelFileError {
  const detail = e instanceof Error ? e.message : String(e);
  return new ModelFileError('bad-config', `${what}: it is damaged or uses a feature this app does not support (${detail}).`, 'tokenizer.json');
}

/**
 * Whether a regular expression repeats a group that itself holds an unbounded repeat, like
 * `(a+)+` or `(\\w*\\s)*`: such patterns backtrack exponentially (40 characters can take hours),
 * and JavaScript cannot interrupt a running match. (A heuristic: overlapping alternatives such
 * as `(a|a)*` are not caught.)
 */
export function hasNestedQuantifier(pattern: string): boolean {
  const groups: boolean[] = []; // per open group: does it hold an unbounded repeat?
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    let atomRepeats = false;
    if (c === '(') {
      groups.push(false);
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{' || c === '|') continue; // not an atom
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (c === ')') atomRepeats = groups.pop() ?? false;
    // The quantifier after the atom, if any: *, + and {n,} are unbounded.
    const brace = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i + 1, i + 24));
    const next = pattern[i + 1];
    const unbounded = next === '*' || next === '+' || (brace !== null && brace[0].endsWith(',}'));
    if (unbounded && atomRepeats) return true;
    if ((unbounded || atomRepeats) && groups.length > 0) groups[groups.length - 1] = true;
    if (brace) i += brace[0].length;
  }
  return false;
}

/**
 * Refuse settings that make the library loop without end or allocate without bound: regular
 * expressions that backtrack exponentially (see hasNestedQuantifier), a FixedLength pre-tokenizer
 * whose length is not a whole number above 0 (it steps through the text by that length, so 0
 * never advances), and added tokens whose text is not a string (the library walks `content.length`
 * characters, so `{"length": 1e12}` exhausts memory).
 */
function checkComponents(json: unknown): void {
  const added = (json as { added_tokens?: unknown }).added_tokens;
  if (Array.isArray(added)) {
    added.forEach((token: unknown, i) => {
      const content = typeof token === 'object' && token !== null ? (token as { content?: unknown }).content : undefined;
      if (typeof content !== 'string') {
        throw new ModelFileError('bad-config', `added token ${i} has content ${jsonPreview(content)}; it must be text.`, 'tokenizer.json');
      }
    });
  }
  const stack: unknown[] = [json];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (!Array.isArray(v) && (v as { type?: unknown }).type === 'FixedLength') {
      const length = (v as { length?: unknown }).length;
      if (!Number.isSafeInteger(length) || (length as number) <= 0) {
        throw new ModelFileError('bad-config', `the FixedLength pre-tokenizer has length ${jsonPreview(length)}; it must be a whole number above 0.`, 'tokenizer.json');
      }
    }
    for (const [k, x] of Object.entries(v)) {
      if (k === 'Regex' && typeof x === 'string' && hasNestedQuantifier(x)) {
        throw new ModelFileError(
          'bad-config',
          `the regular expression ${jsonPreview(x)} repeats a group that itself repeats; such a pattern can take hours on some text, so the file was not loaded.`,
          'tokenizer.json',
        );
      }
      if (typeof x === 'object' && x !== null) stack.push(x);
    }
  }
}

export class T5Tokenizer {
  private constructor(private readonly tokenizer: Tokenizer) {}

  static fromJson(tokenizerJson: unknown, tokenizerConfig: unknown = {}): T5Tokenizer {
    if (typeof tokenizerJson !== 'object' || tokenizerJson === null || !('model' in tokenizerJson)) {
      throw new ModelFileError('bad-config', 'is not a Hugging Face tokenizer file (no "model" field).', 'tokenizer.json');
    }
    checkComponents(tokenizerJson);
    let tokenizer: T5Tokenizer;
    try {
      tokenizer = new T5Tokenizer(new Tokenizer(tokenizerJson as never, (tokenizerConfig ?? {}) as never));
    } catch (e) {
      throw damaged('could not be loaded', e);
    }
    // The library builds some parts (post-processor, decoder) lazily: a broken one only fails on
    // first use. Try them now, so a damaged file is refused when loaded, not in the middle of training.
    tokenizer.decode(tokenizer.encode('Hello world 123.'));
    return tokenizer;
  }

  /** Ids as the model expects them: for T5, the text's pieces followed by </s>. */
  encode(text: string): number[] {
    let ids: unknown[];
    try {
      // Some tokenizer models (WordLevel) yield no id for an unknown word; the model expects <unk>.
      const unk = this.tokenizer.token_to_id('<unk>') ?? 2;
      ids = this.tokenizer.encode(text).ids.map((id) => id ?? unk);
    } catch (e) {
      throw damaged('could not encode text', e);
    }
    // A vocabulary edited by hand can map a piece to anything; the model needs row numbers.
    const bad = ids.findIndex((id) => !Number.isSafeInteger(id) || (id as number) < 0);
    if (bad >= 0) {
      throw new ModelFileError('bad-config', `its vocabulary gives the token id ${jsonPreview(ids[bad])}, not a whole number ≥ 0. The file is damaged.`, 'tokenizer.json');
    }
    return ids as number[];
  }

  decode(ids: number[], skipSpecialTokens = true): string {
    if (ids.length === 0) return ''; // the library refuses an empty list
    try {
      return this.tokenizer.decode(ids, { skip_special_tokens: skipSpecialTokens });
    } catch (e) {
      throw damaged('could not decode ids', e);
    }
  }

  /** The vocabulary piece for an id (e.g. "▁positive"), for showing nearest neighbours. */
  token(id: number): string | undefined {
    return this.tokenizer.id_to_token(id) ?? undefined;
  }
}
