/** The runs of `npm run bench:learn`: which task, initialisation, prompt length and ensemble size. */
import type { PromptInit } from '../../src/core/tuning/promptInit';

export interface LearningRun {
  id: string;
  task: 'spam' | 'rt-polarity';
  init: PromptInit;
  promptLength: number;
  ensemble: number;
}

const spam = (id: string, init: PromptInit, promptLength: number, ensemble = 1): LearningRun => ({ id, task: 'spam', init, promptLength, ensemble });

/**
 * Initialisations, lengths and the ensemble on spam vs ham, the task the demo model learns within
 * the step budget; the main recipe on rt-polarity (unseen label words) too.
 */
export const RUNS: LearningRun[] = [
  spam('labels-5', 'labels', 5),
  spam('vocab-5', 'vocab', 5),
  spam('random-5', 'random', 5),
  spam('labels-1', 'labels', 1),
  spam('labels-20', 'labels', 20),
  spam('labels-100', 'labels', 100),
  spam('ensemble-5', 'labels', 5, 5),
  { id: 'rt-labels-5', task: 'rt-polarity', init: 'labels', promptLength: 5, ensemble: 1 },
];

/** The runs the PyTorch peer repeats (same data, recipe, initialisation and step count). */
export const PEER_RUNS = ['labels-5', 'rt-labels-5'];
