/**
 * Adafactor's settings as the prompt-tuning paper sets them (the optimizer is adafactor.ts). Kept
 * free of TF.js so the page, which writes them into a cluster job's recipe, need not load it.
 */
import { DEFAULT_LEARNING_RATE } from '../settings/trainingSettings';

export interface AdafactorConfig {
  learningRate: number;
  /** beta2_t = 1 - t^decayRate; -0.8 in the paper. */
  decayRate: number;
  /** Added to the squared gradient (epsilon1). */
  epsilon: number;
  /** Updates are scaled down so their RMS is at most this. */
  clipThreshold: number;
  weightDecay: number;
}

export const PAPER_ADAFACTOR: AdafactorConfig = { learningRate: DEFAULT_LEARNING_RATE.adafactor, decayRate: -0.8, epsilon: 1e-30, clipThreshold: 1.0, weightDecay: 1e-5 };
