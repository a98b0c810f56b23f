// The log's writer thread (src/log/writerThread.ts), started from the
// built dist/writer.cjs as `promise serve` starts it, on a real SQLite log: the rows of
// a group land in one chain with the server's own writes (ids in order, hashes
// that verify), exactly as recordChecks writes them; the capabilities text is
// stored once; the log's failures cross the thread as the CLI's failures, and a
// writer that is gone leaves the writes to the server's own connection.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Failure } from '../src/errors.js';
import { closeLogs, openLog } from '../src/log/log.js';
import { WriterThread } from '../src/log/writerThread.js';
import { inProcess, onThread } from '../src/serve/writes.js';
import { ROOT, SPEC_EXAMPLE, tempDir } from './helpers/cli.js';
import { liveExample } from './helpers/liveExample.js';

// The built bundle: the writer runs there, as in `promise serve` (the test setup builds dist/).
const ENTRY = join(ROOT, 'dist', 'writer.cjs');
const start = async (path: string) => {
  const thread = WriterThread.start(ENTRY, { target: path, env: process.env, longRunning: true }, { heap: { maxYoungGenerationSizeMb: 4 } });
  await thread.ready;
  return thread;
};
const dir = tempDir();
const example = liveExample(dir);
/** The server's own connection and the writer thread, both on the log at `target`. */
const opened = async (target: string) => {
  const log = await openLog(target, { longRunning: true });
  return { log, thread: await start(target) };
};
afterEach(() => closeLogs());

describe('the writer thread', () => {
  it("appends a group's rows to the chain the server's own writes extend, as recordChecks does", async () => {
    const { log, thread } = await opened(join(dir, 'chain.db'));
    const writer = onThread(thread, log);
    const caps = example.caps();
    expect(await writer([{ caps, checks: [example.row(1), example.row(2, 'bo')] }])).toEqual([1, 2]);
    // The server's own connection writes next (a check recorded in process), then the writer again.
    expect(await inProcess(log)([{ caps, checks: [example.row(1)] }])).toEqual([3]);
    expect(await writer([{ caps, checks: [example.row(4)] }])).toEqual([4]);
    await thread.close();

    const two = await log.getCheck(2);
    expect(two).toMatchObject({ id: 2, rep: 'bo', sku: 'PUMP-100', qty: 2, capabilities_sha256: caps.sha256, events_seen: 0 });
    // The same row as the server's connection writes for the same check (but its place in the chain and time).
    const [one, three] = [await log.getCheck(1), await log.getCheck(3)];
    const same = ({ id, hash, prev_hash, recorded_at, ...rest }: Record<string, unknown>) => rest;
    expect(same({ ...one! })).toEqual(same({ ...three! }));
    const report = await log.verify();
    expect(report.integrity).toBe('ok');
    for (const t of report.tables) expect(t.problems, t.table).toEqual([]);
    expect(report.tables.find((t) => t.table === 'checks')?.rows).toBe(4);
  });

  it('a reload in between: each version is stored with its own text, and the first again after the second', async () => {
    const { log, thread } = await opened(join(dir, 'reload.db'));
    const writer = onThread(thread, log);
    const first = example.caps();
    const second = { ...first, sha256: 'e'.repeat(64), content: `${first.content}\n# edited\n` };
    // The thread keeps only the last job's versions: the first is sent again when it comes back.
    expect(await writer([{ caps: first, checks: [example.row(1)] }])).toEqual([1]);
    expect(
      await writer([
        { caps: second, checks: [example.row(2)] },
        { caps: first, checks: [example.row(3)] },
      ]),
    ).toEqual([2, 3]);
    expect(await writer([{ caps: second, checks: [example.row(4)] }])).toEqual([4]);
    expect(await writer([{ caps: first, checks: [example.row(5)] }])).toEqual([5]);
    await thread.close();
    const shas = [];
    for (let id = 1; id <= 5; id++) shas.push((await log.getCheck(id))?.capabilities_sha256);
    expect(shas).toEqual([first.sha256, second.sha256, first.sha256, second.sha256, first.sha256]);
    expect((await log.keptCapabilities(second.sha256))?.content).toBe(second.content);
    expect((await log.keptCapabilities(first.sha256))?.content).toBe(first.content);
  });

  it("says a log's failure in the log's words, and a writer that is gone leaves the writes to the server's connection", async () => {
    const notADirectory = join(dir, 'file');
    copyFileSync(SPEC_EXAMPLE, notADirectory);
    await expect(start(join(notADirectory, 'log.db'))).rejects.toBeInstanceOf(Failure);

    mkdirSync(join(dir, 'gone'));
    const { log, thread } = await opened(join(dir, 'gone', 'log.db'));
    await thread.close();
    const caps = example.caps();
    expect(await onThread(thread, log)([{ caps, checks: [example.row(1)] }])).toEqual([1]);
    expect((await log.getCheck(1))?.qty).toBe(1);
  });
});
