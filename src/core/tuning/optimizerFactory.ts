import * as tf from '@tensorflow/tfjs';
import { DEFAULT_LEARNING_RATE, type OptimizerName } from '../settings/trainingSettings';
import { AdafactorOptimizer } from './adafactor';

export { DEFAULT_LEARNING_RATE, type OptimizerName } from '../settings/trainingSettings';

export function createOptimizer(name: OptimizerName, learningRate = DEFAULT_LEARNING_RATE[name]): tf.Optimizer {
  return name === 'adafactor' ? new AdafactorOptimizer({ learningRate }) : tf.train.adam(learningRate);
}
