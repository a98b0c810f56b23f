// A SQLite log's checks written on a thread of their own. better-sqlite3 runs a
// statement synchronously: a group's COMMIT (its WAL frames, a checkpoint's
// fsyncs) and its inserts were a fifth of the server's event loop under load
// (docs/serve.md), time in which no request was parsed, checked or answered. On
// its own connection, in a worker, the group's transaction runs beside the next
// group's checks. The rows are made on the server's thread (checkRows: plain
// strings and numbers to post); the worker appends them as the store does
// (appendRows: the chain locked, ids and hashes from its head) after storing the
// capabilities version once. Each request is still answered only once its row
// is committed. A team log (PostgreSQL) does not need it: its writes already
// wait on the network, not on the event loop.
import { type MessagePort, Worker } from 'node:worker_threads';
import { Failure, type FailureKind } from '../errors.js';
import { checkRows } from '../log/checkRows.js';
import type { CapabilitiesSource, CheckToRecord, KeptCapabilities, Log } from '../log/log.js';

/** A group's rows per capabilities version, in order. */
type Runs = { sha256: string; rows: Record<string, unknown>[] }[];

interface Job {
  id: number;
  /** The runs as JSON text: V8's structured clone of a group's ~20 row objects took 7% of the server's thread, the text far less. */
  runs: string;
  /** The capabilities versions the worker has not been sent yet (their text, once each). */
  caps: { sha256: string; content: string; feeds: { kind: string; path: string; sha256: string; content: string }[] }[];
}
/** A failure crosses as its words and, for the log's own failures (Failure), its kind. */
interface Problem {
  message: string;
  kind?: FailureKind;
}
type Answer = { id: number; ids: number[] } | { id: number; error: Problem };

const problemOf = (e: unknown): Problem => (e instanceof Failure ? { message: e.message, kind: e.kind } : { message: String((e as Error)?.message ?? e) });
const errorOf = (p: Problem): Error => (p.kind ? new Failure(p.kind, p.message) : new Error(p.message));

/** workerData's key that makes an entry module run as the writer (the server's own bundle: no entry of its own). */
export const WRITER = 'promiseWriter';

export interface WriterData {
  target: string;
  env: NodeJS.ProcessEnv;
}

/** Records runs of checks (one capabilities version each) in one transaction; resolves to their ids in order. */
export type WriteGroup = (runs: { caps: CapabilitiesSource; checks: CheckToRecord[] }[]) => Promise<number[]>;

export interface WriterThread {
  write: WriteGroup;
  /** Lets the writer finish what it was given, closes its log; resolves when it has exited. */
  close(): Promise<void>;
}

/**
 * Starts the writer: `entry` is a module that runs writerMain when workerData
 * has WRITER (the server's bundle). Resolves once its log is open. Should the
 * thread ever die, the groups in it fail (their requests answer 500, none of
 * them was answered 200) and later groups are written by `otherwise`.
 */
export async function startWriter(entry: URL, data: WriterData, otherwise: WriteGroup): Promise<WriterThread> {
  // Its heap holds a group's rows at a time: a small young generation, or V8 grows it to its default most (RSS).
  const worker = new Worker(entry, { workerData: { [WRITER]: data }, env: data.env, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  const waiting = new Map<number, { resolve: (ids: number[]) => void; reject: (e: unknown) => void }>();
  let next = 0;
  let dead: Error | null = null;
  const sent = new Set<string>();
  const fail = (e: Error) => {
    dead ??= e;
    for (const w of waiting.values()) w.reject(dead);
    waiting.clear();
  };
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ready: true } | { error: Problem }) => ('ready' in m ? resolve() : reject(errorOf(m.error))));
    worker.once('error', reject);
  });
  worker.on('message', (a: Answer) => {
    const w = waiting.get(a.id);
    if (!w) return;
    waiting.delete(a.id);
    if ('ids' in a) w.resolve(a.ids);
    else w.reject(errorOf(a.error));
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => fail(new Error(`the log's writer thread exited (${code})`)));
  // The server's listening socket keeps the process alive, not the writer.
  worker.unref();
  return {
    write: (runs) =>
      new Promise<number[]>((resolve, reject) => {
        if (dead) return void otherwise(runs).then(resolve, reject);
        const id = next++;
        const job: Job = { id, runs: '', caps: [] };
        const out: Runs = [];
        for (const { caps, checks } of runs) {
          if (!sent.has(caps.sha256)) {
            job.caps.push({
              sha256: caps.sha256,
              content: caps.content,
              feeds: caps.feeds.map((f) => ({ kind: f.kind, path: f.path, sha256: f.sha256, content: f.content() })),
            });
            sent.add(caps.sha256);
          }
          out.push({ sha256: caps.sha256, rows: checkRows(caps, checks) });
        }
        job.runs = JSON.stringify(out);
        waiting.set(id, { resolve, reject });
        worker.postMessage(job);
      }),
    close: async () => {
      if (dead) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await exited;
    },
  };
}

/** The worker's side: opens the log, appends each group in one transaction, answers with the ids. */
export async function writerMain(port: MessagePort, data: WriterData, open: (target: string, env: NodeJS.ProcessEnv) => Promise<Log>): Promise<void> {
  let log: Log;
  try {
    log = await open(data.target, data.env);
  } catch (e) {
    port.postMessage({ error: problemOf(e) });
    return;
  }
  const caps = new Map<string, KeptCapabilities>();
  /** Versions this connection has stored (or found stored): stored again only if the write that stored it failed. */
  const stored = new Set<string>();
  // One job at a time, in the order posted (a job's transaction awaits).
  let tail = Promise.resolve();
  port.on('message', (job: Job | 'close') => {
    if (job === 'close') {
      tail = tail.then(async () => {
        await log.close();
        port.close();
      });
      return;
    }
    const runs = JSON.parse(job.runs) as Runs;
    for (const c of job.caps) caps.set(c.sha256, { sha256: c.sha256, content: c.content, feeds: c.feeds.map((f) => ({ ...f, content: () => f.content })) });
    tail = tail.then(async () => {
      try {
        const storing = new Set<string>();
        const ids = await log.write(async (tx) => {
          const out: number[] = [];
          for (const run of runs) {
            if (!stored.has(run.sha256)) {
              await tx.storeCapabilities(caps.get(run.sha256)!);
              storing.add(run.sha256);
            }
            out.push(...(await tx.appendRows('checks', run.rows)));
          }
          return out;
        });
        for (const s of storing) stored.add(s);
        port.postMessage({ id: job.id, ids });
      } catch (e) {
        port.postMessage({ id: job.id, error: problemOf(e) });
      }
    });
  });
  port.postMessage({ ready: true });
}
