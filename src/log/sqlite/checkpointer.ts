// A SQLite log's WAL checkpoints on a thread of their own, beside the log's
// writer thread (writerThread.ts). A checkpoint copies the WAL's new pages into
// the database file and syncs both; SQLite runs one in whichever commit takes
// the WAL past 1,000 pages. Under a server's load (a commit of ~14 checks every
// ~1.5 ms) that was a 20-36 ms stall of the writer every ~60 commits, and every
// request waiting on it stalled with it: p99 26 ms, ~5,000 checks/s without
// them against ~4,200 with (docs/serve.md). WAL lets a checkpoint run while
// another connection commits, so here it runs beside the commits instead.
import { once } from 'node:events';
import { type MessagePort, Worker } from 'node:worker_threads';
import { SqliteDialect } from './sqliteDialect.js';

/** How often the WAL's new pages are copied into the database file (~1,000 pages at a server's full rate). */
const EVERY_MS = 100;

/** What the checkpointer's thread is started with. */
export interface CheckpointerData {
  checkpoints: string;
  lockTimeoutMs: number;
}

export const isCheckpointer = (data: unknown): data is CheckpointerData => typeof (data as CheckpointerData | null)?.checkpoints === 'string';

/**
 * Starts `entry` (a file that runs checkpointerMain in a worker when given
 * CheckpointerData) on the log at `path`, and resolves once it runs (a server
 * sets V8's flags again then: serve/memory.ts); to a function that stops it,
 * after the checkpoint under way. It keeps nothing but its connection: a small heap.
 */
export async function startCheckpointer(entry: string, path: string, lockTimeoutMs: number): Promise<() => Promise<void>> {
  const worker = new Worker(entry, {
    workerData: { checkpoints: path, lockTimeoutMs } satisfies CheckpointerData,
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
  });
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  // If it cannot open the log or stops, the writer's own commits checkpoint (SqliteDialect.open, checkpointsElsewhere).
  worker.on('error', () => {});
  await once(worker, 'online').catch(() => {});
  return async () => {
    if (!exited) worker.postMessage(null);
    await gone;
  };
}

/** The thread's side: a passive checkpoint every EVERY_MS until told to stop. */
export function checkpointerMain(port: MessagePort, { checkpoints: path, lockTimeoutMs }: CheckpointerData): void {
  const db = SqliteDialect.open(path, { lockTimeoutMs, longRunning: true });
  const timer = setInterval(() => db.checkpoint(), EVERY_MS);
  port.once('message', () => {
    clearInterval(timer);
    void db.close();
    port.close();
  });
}
