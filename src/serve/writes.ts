// Writing to the log from many requests at once. One SQLite connection runs one
// transaction at a time, and a write's statements await: two requests' writes
// must not interleave on it, so a server's writes take turns. Checks, which hold
// nothing, are also grouped: every check that arrives while a write is under way
// is recorded in the next one, one transaction for many (as a batch does), and
// each request is answered only once its row is committed.
import type { RecordCheck } from '../commands/check/check.js';
import type { CapabilitiesSource, CheckToRecord, Log, LogWriter } from '../log/log.js';

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

interface Waiting {
  caps: CapabilitiesSource;
  check: CheckToRecord;
  resolve: (id: number) => void;
  reject: (e: unknown) => void;
}

/**
 * How long the first check of a group waits for others before the group is
 * written. A transaction's cost is mostly its commit (the pages it dirties go to
 * the WAL once whatever the number of rows): measured with 32 clients, waiting
 * for the next turn of the event loop made groups of ~18 and BEGIN/COMMIT 18% of
 * the server's time; 2 ms (nothing beside a check's 10 ms over HTTP) gathers
 * what the clients have in flight.
 */
const GATHER_MS = 2;

/** Records checks in groups: whatever arrived while the last group was being written. */
export function groupedRecorder(log: Log): RecordCheck {
  let waiting: Waiting[] = [];
  let writing = false;
  const flush = async (): Promise<void> => {
    writing = true;
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        const ids = await log.write(async (tx) => {
          const out: number[] = [];
          // Usually one capabilities version; a reload in between makes two runs.
          for (let i = 0; i < group.length; ) {
            let j = i;
            while (j < group.length && group[j]!.caps.sha256 === group[i]!.caps.sha256) j++;
            out.push(
              ...(await tx.recordChecks(
                group[i]!.caps,
                group.slice(i, j).map((w) => w.check),
              )),
            );
            i = j;
          }
          return out;
        });
        for (const [i, w] of group.entries()) w.resolve(ids[i]!);
      } catch (e) {
        for (const w of group) w.reject(e);
      }
    }
    writing = false;
  };
  return (caps, check) =>
    new Promise<number>((resolve, reject) => {
      waiting.push({ caps, check, resolve, reject });
      // The first waiter starts a write GATHER_MS later, so the checks of requests in flight meanwhile join it.
      if (!writing) {
        writing = true;
        setTimeout(() => void flush(), GATHER_MS);
      }
    });
}
