/** The model's tokenizer (tokenizer.json, via @huggingface/tokenizers) with the few calls the app needs. */
import { Tokenizer } from '@huggingface/tokenizers';
import { CheckpointError } from '../io/checkpointError';

export class T5Tokenizer {
  private constructor(private readonly tokenizer: Tokenizer) {}

  static fromJson(tokenizerJson: unknown, tokenizerConfig: unknown = {}): T5Tokenizer {
    if (typeof tokenizerJson !== 'object' || tokenizerJson === null || !('model' in tokenizerJson)) {
      throw new CheckpointError('bad-config', 'is not a Hugging Face tokenizer file (no "model" field).', 'tokenizer.json');
    }
    try {
      return new T5Tokenizer(new Tokenizer(tokenizerJson as never, (tokenizerConfig ?? {}) as never));
    } catch (e) {
      throw new CheckpointError('bad-config', `could not be loaded (${(e as Error).message}).`, 'tokenizer.json');
    }
  }

  /** Ids as the model expects them: for T5, the text's pieces followed by </s>. */
  encode(text: string): number[] {
    // Some tokenizer models (WordLevel) yield no id for an unknown word; the model expects <unk>.
    const unk = this.tokenizer.token_to_id('<unk>') ?? 2;
    return this.tokenizer.encode(text).ids.map((id) => id ?? unk);
  }

  decode(ids: number[], skipSpecialTokens = true): string {
    return this.tokenizer.decode(ids, { skip_special_tokens: skipSpecialTokens });
  }

  /** The vocabulary piece for an id (e.g. "▁positive"), for showing nearest neighbours. */
  token(id: number): string | undefined {
    return this.tokenizer.id_to_token(id) ?? undefined;
  }
}
