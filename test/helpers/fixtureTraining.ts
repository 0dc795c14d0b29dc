/** The reference fixture batch as trainer input, and the trajectory's settings (ten full-batch Adafactor steps). */
import { IGNORE_INDEX } from '../../src/core/model/seq2seqLoss';
import type { TrainerConfig, TrainingData } from '../../src/core/tuning/trainer';
import type { Expected } from './fixtures';

/** Example i's input is row i unpadded; its target is label row i without padding. */
export function fixtureData(e: Expected): TrainingData {
  return {
    train: e.input_ids.map((ids, i) => ({ inputIds: ids.slice(0, e.attention_mask[i]!.reduce((a, b) => a + b, 0)), labelIndex: i })),
    validation: [],
    targets: e.labels.map((row) => row.filter((id) => id !== IGNORE_INDEX)),
  };
}

export const fullBatch: Partial<TrainerConfig> = { optimizer: 'adafactor', batchSize: 3, steps: 10, reportEvery: 1, evalEvery: 0, checkpointEvery: 0, dropoutRate: 0 };
