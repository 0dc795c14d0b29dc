/** Greedy decoding from the decoder start token: the model's own answer, used for free generation. */
import * as tf from '@tensorflow/tfjs';
import type { EncoderInput } from './softPromptInput';
import type { T5Model } from './t5Model';

/**
 * Returns `maxNewTokens` ids per row. A row that has produced EOS is padded with pad ids
 * afterwards, as `generate` does. Reads back one small argmax per step; the encoder runs once.
 */
export async function greedyDecode(model: T5Model, input: EncoderInput, maxNewTokens: number): Promise<number[][]> {
  const { decoderStartTokenId, eosTokenId, padTokenId } = model.config;
  const batch = input.inputsEmbeds.shape[0];
  const encoded = tf.tidy(() => model.encode(input.inputsEmbeds, input.attentionMask));
  const sequences: number[][] = Array.from({ length: batch }, () => [decoderStartTokenId]);
  const done = new Array<boolean>(batch).fill(false);
  try {
    for (let step = 0; step < maxNewTokens; step++) {
      const next = tf.tidy(() => {
        const ids = tf.tensor2d(sequences, [batch, step + 1], 'int32');
        const hidden = model.decode(ids, encoded, input.attentionMask);
        const last = tf.slice(hidden, [0, step, 0], [batch, 1, -1]) as tf.Tensor3D;
        return tf.argMax(tf.reshape(model.logits(last), [batch, -1]), -1);
      });
      const ids = Array.from(await next.data());
      next.dispose();
      ids.forEach((id, i) => {
        sequences[i]!.push(done[i] ? padTokenId : id);
        if (id === eosTokenId) done[i] = true;
      });
      if (done.every(Boolean)) {
        for (const s of sequences) while (s.length < maxNewTokens + 1) s.push(padTokenId);
        break;
      }
    }
  } finally {
    encoded.dispose();
  }
  return sequences.map((s) => s.slice(1));
}
