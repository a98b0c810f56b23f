// Where a logged batch without --commit records its chunks while it checks the
// next one (issue #25): the log's writer thread (log/writerThread.ts) on
// a connection of its own hashes the chain, inserts, commits and formats the
// chunk's lines on the second core. This side is in dist/writer.cjs (src/cli/
// writer.ts), which the batch require()s: in the check's bundle it would grow
// what every check reads, and load node:worker_threads.
import type { Output } from '../../cli/io.js';
import type { Failure } from '../../errors.js';
import { type PackableCheck, packChecks } from '../../log/checksWire.js';
import type { CapabilitiesSource } from '../../log/log.js';
import { WriterThread } from '../../log/writerThread.js';
import type { BatchPrint } from './batchLine.js';

export class ChunkWriter {
  /** The chunk the thread has, then its printing: awaited before the next is sent (its failure surfaces there). */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly thread: WriterThread<BatchPrint>,
    private readonly caps: CapabilitiesSource,
    private readonly print: BatchPrint,
  ) {}

  /**
   * Packs the checks as they come, then sends them once the chunk before is
   * recorded and printed (one chunk at the thread, one being checked: flat
   * memory). Once recorded, its lines go to `out`, its verdicts into `counts`,
   * and `recorded` is told how many. Rejects with the failure of the chunk before, if any.
   */
  async send(checks: Iterable<PackableCheck>, size: number, out: Output, counts: Record<string, number>, recorded: (n: number) => void): Promise<void> {
    const verdicts: string[] = [];
    const packed = packChecks(
      (function* () {
        for (const c of checks) {
          verdicts.push(c.json.verdict);
          yield c;
        }
      })(),
      size,
    );
    await this.writing;
    this.writing = this.thread.write([{ caps: this.caps, checks: packed }], this.print).then((reply) => {
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
  close(): Promise<void> {
    return this.thread.close();
  }
}

/** Starts the thread (dist/writer.cjs, this very bundle) on the log, opened and migrated by the batch already. */
export function startWriter(target: string, env: NodeJS.ProcessEnv, caps: CapabilitiesSource, print: BatchPrint, failure: typeof Failure): ChunkWriter {
  // A young generation of 48 MiB (V8's default is 16 here): a chunk's rows, texts and hashes are garbage
  // by its end, and scavenged less often they cost the thread less (docs/performance.md "Batch").
  const thread = WriterThread.start<BatchPrint>(__filename, { target, env, longRunning: false }, { heap: { maxYoungGenerationSizeMb: 48 }, failure });
  return new ChunkWriter(thread, caps, print);
}
