import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeLogs, type Log, openLog } from '../src/log/log.js';
import { groupedRecorder, inProcess, takingTurns } from '../src/serve/writes.js';
import { tempDir } from './helpers/cli.js';
import { liveExample } from './helpers/liveExample.js';

const dir = tempDir();
const example = liveExample(dir);
afterEach(async () => {
  vi.useRealTimers();
  await closeLogs();
});

/** The log, counting its write transactions. */
async function countedLog(name: string): Promise<{ log: Log; writes: () => number }> {
  const log = await openLog(join(dir, `${name}.db`));
  let writes = 0;
  const counted = new Proxy(log, {
    get(target, prop, receiver) {
      if (prop === 'write')
        return (fn: Parameters<Log['write']>[0]) => {
          writes++;
          return target.write(fn);
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { log: counted, writes: () => writes };
}

/** Resolves to whether `p` has settled after a few turns of the event loop (timers faked: they never fire). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('a server records checks in groups', () => {
  it('writes a check at once when no other check is coming', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { log, writes } = await countedLog('alone');
    const r = groupedRecorder(log);
    const queued = r.started();
    const id = r.record(example.caps(), example.row(1));
    queued();
    expect(await settled(id)).toBe(true);
    expect(await id).toBe(1);
    expect(writes()).toBe(1);
  });

  it('waits for the checks still coming, then writes them all in one transaction', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { log, writes } = await countedLog('together');
    const r = groupedRecorder(log);
    const first = r.started();
    const second = r.started();
    const caps = example.caps();
    const a = r.record(caps, example.row(1));
    first();
    expect(await settled(a)).toBe(false);
    const b = r.record(caps, example.row(2));
    second();
    expect(await settled(Promise.all([a, b]))).toBe(true);
    expect([await a, await b]).toEqual([1, 2]);
    expect(writes()).toBe(1);
  });

  it('does not wait for a check that failed before it was recorded', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { log } = await countedLog('failed');
    const r = groupedRecorder(log);
    const first = r.started();
    const failed = r.started();
    const a = r.record(example.caps(), example.row(1));
    first();
    expect(await settled(a)).toBe(false);
    failed();
    failed(); // said twice (queued, then finally): counted once
    expect(await settled(a)).toBe(true);
  });

  it('waits GATHER_MS at most for a check that is slow to come', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { log, writes } = await countedLog('slow');
    const r = groupedRecorder(log);
    const first = r.started();
    r.started(); // still computing
    const a = r.record(example.caps(), example.row(1));
    first();
    expect(await settled(a)).toBe(false);
    vi.advanceTimersByTime(2);
    expect(await settled(a)).toBe(true);
    expect(writes()).toBe(1);
  });
});

describe('a server writes two groups at once', () => {
  it('one committing and the next sent to wait behind it; a third waits for the first to be written', async () => {
    const log = takingTurns(await openLog(join(dir, 'in-flight.db')));
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    const sent: number[] = [];
    // The log's own writes, each held until `open`: the first group stays under way.
    const r = groupedRecorder(log, async (runs) => {
      sent.push(runs.reduce((n, run) => n + run.checks.length, 0));
      await held;
      return inProcess(log)(runs);
    });
    const caps = example.caps();
    const a = r.record(caps, example.row(1));
    expect(await settled(a)).toBe(false);
    const b = r.record(caps, example.row(2));
    expect(await settled(b)).toBe(false);
    const c = r.record(caps, example.row(3));
    const d = r.record(caps, example.row(4));
    expect(await settled(Promise.race([c, d]))).toBe(false);
    expect(sent).toEqual([1, 1]);
    open();
    expect(await Promise.all([a, b, c, d])).toEqual([1, 2, 3, 4]);
    expect(sent).toEqual([1, 1, 2]);
  });
});
