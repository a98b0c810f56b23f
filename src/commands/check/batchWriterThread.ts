// dist/writer.cjs (scripts/build.mjs): in the main thread, what a logged batch
// require()s to start its writer thread (batchWriter.ts); in that thread, the
// writer: it opens the SQLite log on a connection of its own and records each
// chunk it is sent through the store, as the batch would on its own thread (the
// chain's hashes, the inserts and the commit), in order, one transaction a chunk.
// After a failure it records nothing more: what is recorded stays a prefix.
import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { Failure } from '../../errors.js';
import type { CapabilitiesSource } from '../../log/log.js';
import { SqliteDialect } from '../../log/sqlite/sqliteDialect.js';
import { Store } from '../../log/store.js';
import { type PackedChunk, unpackChecks } from './batchWire.js';

export { startWriter } from './batchWriter.js';

/** What the thread starts with: the log's path, and the capabilities every row names (sent once). */
export interface WriterData {
  path: string;
  lockTimeoutMs: number;
  capabilities: Omit<CapabilitiesSource, 'feeds'> & { feeds: { kind: string; path: string; sha256: string; text: string }[] };
}

/** To a chunk: its ids, or why it was not recorded. */
export type WriterReply = { ids: number[] } | { error: { kind: Failure['kind'] | null; message: string } };

if (!isMainThread) writerThread(parentPort!, workerData as WriterData);

function writerThread(port: MessagePort, { path, lockTimeoutMs, capabilities }: WriterData): void {
  const source: CapabilitiesSource = { ...capabilities, feeds: capabilities.feeds.map(({ text, ...f }) => ({ ...f, content: () => text })) };
  let store: Store | null = null;
  let failed: WriterReply | null = null;
  // One chunk at a time, in the order sent.
  let queue = Promise.resolve();
  port.on('message', (chunk: PackedChunk | null) => {
    queue = queue.then(() => handle(chunk));
  });

  async function handle(chunk: PackedChunk | null): Promise<void> {
    if (chunk === null) {
      await store?.close();
      port.close();
      return;
    }
    if (!failed) {
      try {
        store ??= new Store(SqliteDialect.open(path, false, lockTimeoutMs));
        const checks = unpackChecks(chunk);
        const ids = await store.write((tx) => tx.recordChecks(source, checks));
        port.postMessage({ ids } satisfies WriterReply);
        return;
      } catch (e) {
        failed = { error: { kind: e instanceof Failure ? e.kind : null, message: (e as Error).message ?? String(e) } };
      }
    }
    port.postMessage(failed);
  }
}
