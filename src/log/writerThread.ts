// The log's checks recorded on a thread of their own, for a logged batch (while
// it checks the next chunk) and for the server on a SQLite log (while it answers
// the next requests). The chain's hashes, the rows' texts and, on SQLite, the
// inserts and the COMMIT's syncs (better-sqlite3 runs a statement synchronously)
// were a third of the server's event loop under load and half of a batch's
// thread; on a team log, the client's side of the inserts was (docs/performance.md,
// docs/serve.md). On its own connection, in a worker, through the same store (no
// second copy of the log's SQL), they run beside the next checks on the second
// core. Jobs are recorded in the order sent, each in one transaction; each is
// answered with its ids and, for a batch, its lines formatted once recorded.
import { type MessagePort, type ResourceLimits, Worker } from 'node:worker_threads';
import { Failure, type FailureKind } from '../errors.js';
import { type PackedChecks, unpackChecks } from './checksWire.js';
import { lockTimeoutSeconds } from './dialect.js';
import { type CapabilitiesSource, type CheckToRecord, isPostgresUrl, type Log, openLog } from './log.js';
import { startCheckpointer } from './sqlite/checkpointer.js';

/** What the thread opens: the log (a SQLite file or a team log's URL), already created and migrated by the process that starts it. */
export interface WriterData {
  target: string;
  /** The process's environment: the lock timeout, libpq's variables. */
  env: NodeJS.ProcessEnv;
  /** The server's connection settings (a bounded page cache, no mmap of a growing file). */
  longRunning: boolean;
}

/** The thread's own file, which runs the SQLite log's checkpointer in a thread of its own (sqlite/checkpointer.ts). */
type ThreadData = WriterData & { entry: string };

/** Checks of one capabilities version. */
export interface WriterRun {
  caps: CapabilitiesSource;
  checks: PackedChecks;
}

/** A capabilities version as it crosses, once: its feeds' texts read now. */
interface SentCaps {
  sha256: string;
  path: string;
  content: string;
  feeds: { kind: string; path: string; sha256: string; text: string }[];
}

interface Job<P> {
  id: number;
  caps: SentCaps[];
  runs: { sha256: string; checks: PackedChecks }[];
  /** Set: the thread formats the recorded checks with it (a batch's printing). */
  print: P | null;
}

/** A failure crosses as its words and, for the log's own failures (Failure), its kind. */
interface Problem {
  message: string;
  kind: FailureKind | null;
}
/** First, whether the thread opened the log; then each job's answer. */
type Reply = { opened: true } | { opened: false; error: Problem } | { id: number; ids: number[]; out: string } | { id: number; error: Problem };

const problemOf = (e: unknown): Problem => ({ message: String((e as Error)?.message ?? e), kind: e instanceof Failure ? e.kind : null });

/** Formats what the thread recorded; the entry that runs the thread supplies it. */
export type FormatRecorded<P> = (checks: (CheckToRecord & { line: number })[], ids: number[], print: P) => string;

export class WriterThread<P = never> {
  /** Set once the thread is gone: nothing more is sent to it. */
  broken: Error | null = null;
  /** Resolves once the thread has the log open; rejects (as `failure`) if it cannot open it. */
  readonly ready: Promise<void>;
  private readonly waiting = new Map<number, { resolve: (r: { ids: number[]; out: string }) => void; reject: (e: Error) => void }>();
  /**
   * The capabilities versions the last job named: the thread keeps their texts for the next job,
   * and only theirs (a server reloads its file for days: keeping every version would grow).
   */
  private held = new Set<string>();
  private next = 0;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    /** The caller's own Failure class: a bundle of its own has its own copy, which the CLI's main would not know. */
    failure: typeof Failure,
  ) {
    const errorOf = (p: Problem) => (p.kind ? new failure(p.kind, p.message) : new Error(p.message));
    let opened!: (r: Reply) => void;
    const first = new Promise<Reply>((resolve) => (opened = resolve));
    this.ready = first.then((r) => {
      if ('error' in r) throw this.broken ?? errorOf(r.error);
    });
    this.ready.catch(() => {}); // a caller that never waits for it learns at its first write
    worker.on('message', (r: Reply) => {
      if ('opened' in r) {
        // If it could not open the log, every write fails as that.
        if (!r.opened) this.broken ??= errorOf(r.error);
        return opened(r);
      }
      const w = this.waiting.get(r.id);
      if (!w) return;
      this.waiting.delete(r.id);
      if ('ids' in r) w.resolve(r);
      else w.reject(errorOf(r.error));
    });
    // The thread itself failed (out of memory, a bug): none of the jobs it had not answered was recorded.
    const fail = (e: Error) => {
      this.broken ??= new failure('log', `the log's writer thread stopped (${e.message}); nothing was recorded`);
      opened({ opened: false, error: { message: this.broken.message, kind: 'log' } });
      for (const w of this.waiting.values()) w.reject(this.broken);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      this.exited = true;
      fail(new Error(`exit ${code}`));
    });
  }

  /**
   * Starts `entry` (a file that runs writerMain in a worker) on the log. `heap`: its limits; a
   * batch's chunks are garbage by their end, a server's groups are small and it runs for days.
   */
  static start<P = never>(entry: string, data: WriterData, { heap, failure = Failure }: { heap: ResourceLimits; failure?: typeof Failure }): WriterThread<P> {
    const workerData: ThreadData = { ...data, entry };
    return new WriterThread<P>(new Worker(entry, { workerData, env: data.env, resourceLimits: heap }), failure);
  }

  /** Records the runs in one transaction, after every job sent before; their ids in order, and their lines if `print`. */
  write(runs: WriterRun[], print: P | null = null): Promise<{ ids: number[]; out: string }> {
    if (this.broken) return Promise.reject(this.broken);
    const job: Job<P> = { id: this.next++, caps: [], runs: [], print };
    const named = new Set<string>();
    for (const { caps, checks } of runs) {
      if (!this.held.has(caps.sha256) && !named.has(caps.sha256)) {
        const { sha256, path, content, feeds } = caps;
        job.caps.push({ sha256, path, content, feeds: feeds.map((f) => ({ kind: f.kind, path: f.path, sha256: f.sha256, text: f.content() })) });
      }
      named.add(caps.sha256);
      job.runs.push({ sha256: caps.sha256, checks });
    }
    this.held = named;
    return new Promise((resolve, reject) => {
      this.waiting.set(job.id, { resolve, reject });
      this.worker.postMessage(
        job,
        job.runs.map((r) => r.checks.bytes),
      );
    });
  }

  /** Lets the thread finish what it was sent and close the log; resolves once it has exited. Never throws. */
  async close(): Promise<void> {
    if (this.exited) return;
    // Whoever closes it waits for its exit: an unref'd thread would let the process end first (and exit 0).
    this.worker.ref();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage(null);
    await exited;
  }

  /** The thread does not keep the process alive: whoever sent it work waits for the answers. */
  unref(): void {
    this.worker.unref();
  }
}

/** The thread's side: opens the log, records each job in one transaction, in order, and answers. */
export async function writerMain<P>(port: MessagePort, { target, env, longRunning, entry }: ThreadData, format: FormatRecorded<P> | null): Promise<void> {
  let store: Log;
  const sqlite = !isPostgresUrl(target);
  try {
    store = await openLog(target, { env, longRunning, checkpointsElsewhere: sqlite });
  } catch (e) {
    port.postMessage({ opened: false, error: problemOf(e) } satisfies Reply);
    return;
  }
  // A server's checkpointer starts now, and the server sets its heap's flags again once it runs (serve/memory.ts). A
  // batch's, with its second chunk: a short batch does not need one, and waited ~50 ms for it.
  let checkpointer: Promise<() => Promise<void>> | null = null;
  const checkpoints = () => {
    if (sqlite) checkpointer ??= startCheckpointer(entry, target, lockTimeoutSeconds(env) * 1000);
    return checkpointer;
  };
  if (longRunning) await checkpoints();
  let jobs = 0;
  port.postMessage({ opened: true } satisfies Reply);
  let caps = new Map<string, CapabilitiesSource>();
  // One job at a time, in the order sent (a job's transaction awaits).
  let queue = Promise.resolve();
  port.on('message', (job: Job<P> | null) => {
    queue = queue.then(async () => {
      if (job === null) {
        await (await checkpointer)?.();
        await store.close();
        port.close();
        return;
      }
      if (++jobs === 2) void checkpoints();
      // The versions this job names: sent with it, or held from the job before (WriterThread.held).
      const sent = new Map(job.caps.map((c) => [c.sha256, { ...c, feeds: c.feeds.map(({ text, ...f }) => ({ ...f, content: () => text })) }]));
      caps = new Map(job.runs.map((r) => [r.sha256, sent.get(r.sha256) ?? caps.get(r.sha256)!]));
      try {
        const checks = job.runs.map((r) => unpackChecks(r.checks));
        const ids = await store.write(async (tx) => {
          const out: number[] = [];
          for (const [i, r] of job.runs.entries()) out.push(...(await tx.recordChecks(caps.get(r.sha256)!, checks[i]!)));
          return out;
        });
        // Formatted here once recorded, not by the checking thread: ~0.8 s of a batch's per 100k lines.
        const out = job.print !== null && format ? format(checks.flat(), ids, job.print) : '';
        port.postMessage({ id: job.id, ids, out } satisfies Reply);
      } catch (e) {
        port.postMessage({ id: job.id, error: problemOf(e) } satisfies Reply);
      }
    });
  });
}
