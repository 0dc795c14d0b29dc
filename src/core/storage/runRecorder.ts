/** Building a run's record as training reports come in, and rewinding it to a checkpoint. */
import type { TrainerConfig } from '../tuning/trainerConfig';
import type { ProgressReport, ValidationResult } from '../tuning/trainingReports';
import type { TaskSpec } from '../task/task';
import type { RunRecord } from './runRecord';

export function newRunRecord(r: { id: string; modelId: string; config: TrainerConfig; task: TaskSpec; resume: RunRecord['resume'] }, now = new Date()): RunRecord {
  const at = now.toISOString();
  return { ...r, createdAt: at, updatedAt: at, status: 'training', losses: [], validations: [] };
}

/** Each reported step's loss, and each prompt's when there are several. */
export function recordProgress(run: RunRecord, p: Pick<ProgressReport, 'step' | 'losses' | 'memberLosses'>): void {
  const first = p.step - p.losses.length + 1;
  p.losses.forEach((loss, i) => run.losses.push([first + i, loss]));
  if (p.memberLosses.length > 1) {
    const members = (run.memberLosses ??= p.memberLosses.map(() => []));
    p.memberLosses.forEach((losses, k) => losses.forEach((loss, i) => members[k]!.push([first + i, loss])));
  }
}

export function recordValidation(run: RunRecord, v: ValidationResult): void {
  run.validations.push({ step: v.step, accuracy: v.accuracy, ...(v.f1 === undefined ? {} : { f1: v.f1 }), loss: v.loss, members: v.members });
}

/** Continue the curve from a checkpoint: drop what was reported after it was saved. */
export function rewindRun(run: RunRecord, step: number): void {
  run.losses = run.losses.filter(([s]) => s <= step);
  run.memberLosses = run.memberLosses?.map((l) => l.filter(([s]) => s <= step));
  run.validations = run.validations.filter((v) => v.step <= step);
}
