/** Runs and their latest checkpoint in IndexedDB (page and worker), via idb. */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { TrainingCheckpoint } from '../tuning/trainer';
import { StorageError, type RunRecord, type RunStore } from './runRecord';

interface Schema extends DBSchema {
  runs: { key: string; value: RunRecord };
  checkpoints: { key: string; value: TrainingCheckpoint };
}

const DB_NAME = 'prompt-tuning-studio';

function explain(e: unknown, what: string): StorageError {
  const name = (e as { name?: string })?.name;
  if (name === 'QuotaExceededError') {
    return new StorageError(`Could not ${what}: the browser's storage for this site is full. Delete old runs or free disk space; training continues but this state is not saved.`, e);
  }
  return new StorageError(`Could not ${what}: ${(e as Error)?.message ?? String(e)}`, e);
}

export class IndexedDbRunStore implements RunStore {
  private db: Promise<IDBPDatabase<Schema>> | undefined;

  constructor(private readonly name = DB_NAME) {}

  private open(): Promise<IDBPDatabase<Schema>> {
    this.db ??= openDB<Schema>(this.name, 1, {
      upgrade(db) {
        db.createObjectStore('runs', { keyPath: 'id' });
        db.createObjectStore('checkpoints');
      },
    }).catch((e) => {
      this.db = undefined;
      throw explain(e, 'open the browser database (is this a private window?)');
    });
    return this.db;
  }

  private async attempt<T>(what: string, f: (db: IDBPDatabase<Schema>) => Promise<T>): Promise<T> {
    const db = await this.open();
    try {
      return await f(db);
    } catch (e) {
      throw explain(e, what);
    }
  }

  saveRun(run: RunRecord) {
    return this.attempt('save the run', async (db) => void (await db.put('runs', run)));
  }
  loadRun(id: string) {
    return this.attempt('read the run', (db) => db.get('runs', id));
  }
  async listRuns() {
    const runs = await this.attempt('list runs', (db) => db.getAll('runs'));
    return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  saveCheckpoint(runId: string, checkpoint: TrainingCheckpoint) {
    return this.attempt('save the checkpoint', async (db) => void (await db.put('checkpoints', checkpoint, runId)));
  }
  loadCheckpoint(runId: string) {
    return this.attempt('read the checkpoint', (db) => db.get('checkpoints', runId));
  }
  deleteRun(id: string) {
    return this.attempt('delete the run', async (db) => {
      const tx = db.transaction(['runs', 'checkpoints'], 'readwrite');
      await Promise.all([tx.objectStore('runs').delete(id), tx.objectStore('checkpoints').delete(id), tx.done]);
    });
  }
}
