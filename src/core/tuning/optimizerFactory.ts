import * as tf from '@tensorflow/tfjs';
import { AdafactorOptimizer, PAPER_ADAFACTOR } from './adafactor';

export type OptimizerName = 'adafactor' | 'adam';

/** Default learning rates: the paper's 0.3 for Adafactor; Adam needs a much smaller one. */
export const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = { adafactor: PAPER_ADAFACTOR.learningRate, adam: 1e-3 };

export function createOptimizer(name: OptimizerName, learningRate = DEFAULT_LEARNING_RATE[name]): tf.Optimizer {
  return name === 'adafactor' ? new AdafactorOptimizer({ learningRate }) : tf.train.adam(learningRate);
}
