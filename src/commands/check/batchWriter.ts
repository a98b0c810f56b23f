// Where a logged batch without --commit records its chunks while it checks the
// next one (issue #25): a worker thread (batchWriterThread.ts) on a connection of
// its own to the SQLite log hashes the chain, inserts and commits on the second
// core. It is handed one buffer per chunk (batchWire.ts) and answers with the
// chunk's ids, in order. This side is in dist/writer.cjs too, which the batch
// require()s: in the CLI's bundle it would grow what every run reads.
import { Worker } from 'node:worker_threads';
import type { Output } from '../../cli/io.js';
import type { Failure } from '../../errors.js';
import { lockTimeoutSeconds } from '../../log/dialect.js';
import type { CapabilitiesSource, CheckToRecord } from '../../log/log.js';
import type { BatchPrint } from './batchLine.js';
import { packChecks } from './batchWire.js';
import type { WriterData, WriterReply } from './batchWriterThread.js';

export class ChunkWriter {
  private readonly waiting: { resolve: (reply: { ids: number[]; out: string }) => void; reject: (e: Error) => void }[] = [];
  private broken: Error | null = null;
  private exited = false;
  /** The chunk the thread has, then its printing: awaited before the next is sent (its failure surfaces there). */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly worker: Worker,
    private readonly path: string,
    /** The CLI's own Failure class: this file is a bundle of its own, with its own copy, that main.ts would not know. */
    failure: typeof Failure,
  ) {
    worker.on('message', (reply: WriterReply) => {
      const next = this.waiting.shift();
      if (!next) return;
      if ('ids' in reply) next.resolve(reply);
      else next.reject(reply.error.kind ? new failure(reply.error.kind, reply.error.message) : new Error(reply.error.message));
    });
    // The thread itself failed (out of memory, a bug): no chunk it had not answered was recorded.
    const fail = (e: Error) => {
      this.broken ??= new failure('log', `log ${this.path} cannot be written (${e.message}); nothing was recorded`);
      for (const w of this.waiting.splice(0)) w.reject(this.broken);
    };
    worker.on('error', fail);
    worker.on('exit', () => {
      this.exited = true;
      fail(new Error('its writer thread stopped'));
    });
  }

  /**
   * Sends a checked chunk once the one before is recorded and printed (one chunk
   * at the thread, one being checked: flat memory). Once it is recorded, its
   * lines (formatted by the thread) go to `out`, its verdicts into `counts`, and
   * `recorded` is told how many. Rejects with the failure of the chunk before, if any.
   */
  async send(
    checks: Iterable<Pick<CheckToRecord, 'json' | 'eventsSeen'>>,
    rows: readonly { line: number; customer: string | null }[],
    rep: string,
    print: BatchPrint,
    out: Output,
    counts: Record<string, number>,
    recorded: (n: number) => void,
  ): Promise<void> {
    const verdicts: string[] = [];
    const packed = packChecks(checks, rows, print.now, rep, print, verdicts);
    await this.writing;
    this.writing = (
      this.broken
        ? Promise.reject(this.broken)
        : new Promise<{ ids: number[]; out: string }>((resolve, reject) => {
            this.waiting.push({ resolve, reject });
            this.worker.postMessage(packed, [packed.bytes]);
          })
    ).then((reply) => {
      recorded(reply.ids.length);
      out.write(reply.out);
      for (const v of verdicts) counts[v]!++;
    });
    // Awaited with the next chunk or at the end; it must not count as unhandled in between.
    this.writing.catch(() => {});
  }

  /** Every chunk recorded, and printed; the first failure to record, if any. */
  finish(): Promise<void> {
    return this.writing;
  }

  /** Waits for the thread to close the log (any transaction it was in is over then); never throws. */
  async close(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage(null);
    });
  }
}

/** Starts the thread (this very file, dist/writer.cjs) on the SQLite log at `path`, opened and migrated by the batch already. */
export function startWriter(path: string, env: NodeJS.ProcessEnv, { feeds, ...capabilities }: CapabilitiesSource, failure: typeof Failure): ChunkWriter {
  // A young generation of 48 MiB (V8's default is 16 here): a chunk's rows, texts and hashes are garbage
  // by its end, and scavenged less often they cost the thread less (docs/performance.md "Batch").
  const resourceLimits = { maxYoungGenerationSizeMb: 48 };
  const workerData: WriterData = {
    path,
    lockTimeoutMs: lockTimeoutSeconds(env) * 1000,
    capabilities: { ...capabilities, feeds: feeds.map(({ kind, path, sha256, content }) => ({ kind, path, sha256, text: content() })) },
  };
  return new ChunkWriter(new Worker(__filename, { workerData, resourceLimits }), path, failure);
}
