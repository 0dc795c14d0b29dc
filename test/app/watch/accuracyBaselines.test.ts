/** The baselines the Watch panel passes to the loss chart. */
import { expect, it } from 'vitest';
import { majorityBaselineLine } from '../../../src/app/watch/accuracyBaselines';

it('draws the majority class of the chosen data, and nothing without data', () => {
  expect(majorityBaselineLine({ majorityBaseline: { label: 'ham', accuracy: 300 / 400 } })).toEqual([{ label: 'majority class ‘ham’', value: 0.75 }]);
  expect(majorityBaselineLine(undefined)).toEqual([]);
});
