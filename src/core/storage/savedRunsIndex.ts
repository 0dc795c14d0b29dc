/**
 * The saved-runs list with the space each run takes, kept up to date one run at a time: a change
 * announced for one run re-reads that run and its checkpoint only, not every run's checkpoint
 * (a long run announces after every save, and checkpoints are the big part).
 */
import type { RunRecord, RunStore } from './runRecord';
import { checkpointBytes } from './storageStatus';

export class SavedRunsIndex {
  private records = new Map<string, RunRecord>();
  /** Checkpoint bytes per run, read when the run is first seen or announced as changed. */
  private checkpoints = new Map<string, number>();

  constructor(private readonly store: Pick<RunStore, 'listRuns' | 'loadRun' | 'loadCheckpoint'>) {}

  /** The runs, newest first (as the store lists them). */
  get runs(): RunRecord[] {
    return [...this.records.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Bytes of every saved run: its record as stored (JSON-sized) plus its checkpoint's arrays. */
  get totalBytes(): number {
    let total = 0;
    for (const [id, run] of this.records) total += JSON.stringify(run).length + (this.checkpoints.get(id) ?? 0);
    return total;
  }

  /** The whole list again; checkpoints are read only for runs not seen before. */
  async reloadAll(): Promise<void> {
    const runs = await this.store.listRuns();
    const ids = new Set(runs.map((r) => r.id));
    for (const id of [...this.records.keys()]) if (!ids.has(id)) this.forget(id);
    const unseen = runs.filter((r) => !this.checkpoints.has(r.id));
    for (const r of runs) this.records.set(r.id, r);
    await Promise.all(unseen.map((r) => this.readCheckpoint(r.id)));
  }

  /** Only these runs, each re-read with its checkpoint; a run no longer stored is dropped. */
  async reload(ids: Iterable<string>): Promise<void> {
    await Promise.all(
      [...new Set(ids)].map(async (id) => {
        const run = await this.store.loadRun(id);
        if (!run) return this.forget(id);
        this.records.set(id, run);
        await this.readCheckpoint(id);
      }),
    );
  }

  private async readCheckpoint(id: string): Promise<void> {
    // An unreadable checkpoint counts as none: the list still shows, and the next change re-reads it.
    const checkpoint = await this.store.loadCheckpoint(id).catch(() => undefined);
    if (this.records.has(id)) this.checkpoints.set(id, checkpointBytes(checkpoint));
  }

  private forget(id: string): void {
    this.records.delete(id);
    this.checkpoints.delete(id);
  }
}
