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
import { batchLine } from './batchLine.js';
import { type PackedChunk, unpackChecks } from './batchWire.js';

export { startWriter } from './batchWriter.js';

/** What the thread starts with: the log's path, and the capabilities every row names (sent once). */
export interface WriterData {
  path: string;
  lockTimeoutMs: number;
  capabilities: Omit<CapabilitiesSource, 'feeds'> & { feeds: { kind: string; path: string; sha256: string; text: string }[] };
}

/** To a chunk: its ids and its lines to print, or why it was not recorded. */
export type WriterReply = { ids: number[]; out: string } | { error: { kind: Failure['kind'] | null; message: string } };

/** --json prints from the JSON texts alone. */
const NO_OUTCOME = { verdict: 'feasible', promise: { kind: 'service', service: '', region: '' }, plan: null, alternatives: [] } as unknown as Parameters<
  typeof batchLine
>[1];

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
        // Formatted here once recorded, not by the checking thread: ~0.8 s of its time per 100k lines, and its outcomes
        // kept alive until the write outlived its young generation. The text view needs the plan back from its JSON.
        const { print } = chunk;
        const out = checks
          .map(({ line, outcome: { verdict, promise }, json }, i) =>
            batchLine(
              line,
              print.json ? NO_OUTCOME : { verdict, promise, plan: JSON.parse(json.plan), alternatives: JSON.parse(json.alternatives) },
              json,
              ids[i]!,
              print,
            ),
          )
          .join('');
        port.postMessage({ ids, out } satisfies WriterReply);
        return;
      } catch (e) {
        failed = { error: { kind: e instanceof Failure ? e.kind : null, message: (e as Error).message ?? String(e) } };
      }
    }
    port.postMessage(failed);
  }
}
