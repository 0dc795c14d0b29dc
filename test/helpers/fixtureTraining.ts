/** The reference fixture batch as trainer input, and the trajectory's settings (ten full-batch Adafactor steps). */
import { IGNORE_INDEX } from '../../src/core/model/seq2seqLoss';
import type { TrainerConfig, TrainingData } from '../../src/core/tuning/trainer';
import { unpaddedInputs, type Expected } from './fixtures';

/** Example i's input is row i unpadded; its target is label row i without padding. */
export function fixtureData(e: Expected): TrainingData {
  return {
    train: unpaddedInputs(e).map((inputIds, labelIndex) => ({ inputIds, labelIndex })),
    validation: [],
    targets: e.labels.map((row) => row.filter((id) => id !== IGNORE_INDEX)),
  };
}

export const fullBatch: Partial<TrainerConfig> = { optimizer: 'adafactor', batchSize: 3, steps: 10, reportEvery: 1, evalEvery: 0, checkpointEvery: 0, dropoutRate: 0 };
