// Writing to the log from many requests at once. One SQLite connection runs one
// transaction at a time, and a write's statements await: two requests' writes
// must not interleave on it, so a server's writes take turns. Checks, which hold
// nothing, are also grouped: every check that arrives while a write is under way
// is recorded in the next one, one transaction for many (as a batch does), and
// each request is answered only once its row is committed.
import type { RecordCheck } from '../commands/check/check.js';
import { packChecks } from '../log/checksWire.js';
import type { CapabilitiesSource, CheckToRecord, Log, LogWriter } from '../log/log.js';
import type { WriterThread } from '../log/writerThread.js';

/** The log with its writes taking turns (reads go straight through). */
export function takingTurns(log: Log): Log {
  let tail: Promise<unknown> = Promise.resolve();
  const write = <T>(fn: (tx: LogWriter) => Promise<T>): Promise<T> => {
    const run = tail.then(() => log.write(fn));
    tail = run.catch(() => {});
    return run;
  };
  // addToken and revokeToken write too (SQLite: inside write()); route them through the turns.
  return new Proxy(log, {
    get(target, prop, receiver) {
      if (prop === 'write') return write;
      if (prop === 'addToken' || prop === 'revokeToken') {
        return (...args: unknown[]) => {
          const run = tail.then(() => Reflect.apply(target[prop] as (...a: unknown[]) => Promise<unknown>, target, args));
          tail = run.catch(() => {});
          return run;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Records runs of checks (one capabilities version each) in one transaction; resolves to their ids in order. */
export type WriteGroup = (runs: { caps: CapabilitiesSource; checks: CheckToRecord[] }[]) => Promise<number[]>;

/**
 * On the log's writer thread (a SQLite log) while it is there. Should it ever
 * die, the groups in it fail (their requests answer 500, none was answered 200)
 * and later groups are written on the server's own connection.
 */
export function onThread(thread: WriterThread, log: Log): WriteGroup {
  const otherwise = inProcess(log);
  return async (runs) =>
    thread.broken ? otherwise(runs) : (await thread.write(runs.map(({ caps, checks }) => ({ caps, checks: packChecks(checks, checks.length) })))).ids;
}

/** A group's runs (one capabilities version each) in one transaction on the server's own connection. */
export function inProcess(log: Log): WriteGroup {
  return (runs) =>
    log.write(async (tx) => {
      const out: number[] = [];
      for (const { caps, checks } of runs) out.push(...(await tx.recordChecks(caps, checks)));
      return out;
    });
}

interface Waiting {
  caps: CapabilitiesSource;
  check: CheckToRecord;
  resolve: (id: number) => void;
  reject: (e: unknown) => void;
}

/**
 * The longest the first check of a group waits for the others in flight before
 * the group is written. A transaction's cost is mostly its commit (the pages it
 * dirties go to the WAL once whatever the number of rows): measured with 32
 * clients, writing at the next turn of the event loop made groups of ~18 and
 * BEGIN/COMMIT 18% of the server's time. But waiting 2 ms for checks that are
 * all in already is idle time: under load every client's request was in the
 * group, and the server sat idle 2 ms of each ~10 ms round (21% of a profile).
 * So a group is written as soon as no check under way is still coming to it.
 */
const GATHER_MS = 2;

/**
 * Groups written at once: one being committed and the next already sent. With
 * one, the thread sat idle for each answer's way back to the event loop and the
 * next group's way to it (a group's round trip was ~2.1 ms for its ~0.85 ms
 * commit): 5,400 checks/s, 5,700-5,900 with two (docs/serve.md).
 */
const IN_FLIGHT = 2;

export interface GroupedRecorder {
  /** Records one check with whatever else is waiting; resolves once its row is committed. */
  record: RecordCheck;
  /** A check that will be recorded has started: the group waits for it. Call the result once it is queued, or failed. */
  started(): () => void;
}

/** Records checks in groups: whatever arrived while the groups before were being written. */
export function groupedRecorder(log: Log, writeGroup: WriteGroup = inProcess(log)): GroupedRecorder {
  let waiting: Waiting[] = [];
  let inFlight = 0;
  /** The waiting checks will be sent: as soon as no check is coming, or after GATHER_MS, and a group's place is free. */
  let due = false;
  /** Checks started and not yet queued (nor failed). */
  let coming = 0;
  let timer: NodeJS.Timeout | null = null;
  const send = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    // Sent already (a group written meanwhile sent it), or sent when a group before is written.
    if (!due || inFlight === IN_FLIGHT) return;
    due = false;
    const group = waiting;
    waiting = [];
    inFlight++;
    // Usually one capabilities version; a reload in between makes two runs.
    const runs: Parameters<WriteGroup>[0] = [];
    for (const w of group) {
      const last = runs.at(-1);
      if (last?.caps.sha256 === w.caps.sha256) last.checks.push(w.check);
      else runs.push({ caps: w.caps, checks: [w.check] });
    }
    writeGroup(runs).then(
      (ids) => {
        for (const [i, w] of group.entries()) w.resolve(ids[i]!);
        written();
      },
      (e) => {
        for (const w of group) w.reject(e);
        written();
      },
    );
  };
  const written = () => {
    inFlight--;
    if (due && timer === null) send();
  };
  /** After this turn's synchronous work: its other checks queue first. */
  const sendSoon = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    setImmediate(send);
  };
  const record: RecordCheck = (caps, check) =>
    new Promise<number>((resolve, reject) => {
      waiting.push({ caps, check, resolve, reject });
      if (due) return;
      due = true;
      // The first waiter of a group: sent now if no other check is coming, else when they are in (GATHER_MS at most).
      if (coming === 0) sendSoon();
      else timer = setTimeout(send, GATHER_MS);
    });
  const started = () => {
    coming++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      coming--;
      if (coming === 0 && timer) sendSoon();
    };
  };
  return { record, started };
}
