/**
 * The memory check when Start is pressed: the loaded model's shape and the settings as they are now
 * (they may have changed since the Model step checked) against the backend's budget. Undefined when
 * either is unknown; the worker checks again with its own backend before it trains.
 */
import type { DeviceBudget } from '../../core/model/deviceBudget';
import { checkBeforeStart, type StartCheck } from '../../core/model/startMemoryCheck';
import type { TrainingSettings } from '../../core/settings/trainingSettings';
import type { StudioState } from '../studio/studioState';

export const CLUSTER_HINT = 'Or train it on a bigger GPU: Keep → Continue on a GPU cluster writes a ready-to-run job.';

export function memoryAtStart(model: StudioState['model'], settings: TrainingSettings, budget: DeviceBudget | undefined): StartCheck | undefined {
  if (!model?.config || !budget) return undefined;
  return checkBeforeStart(model.config, model.parameters, settings, budget, CLUSTER_HINT);
}
