// A logged batch without --commit records a chunk on the log's writer thread
// while it checks the next (issue #25, src/commands/check/batchWriter.ts), on a
// SQLite file and on a team log. Pinned here on the built CLI: the overlap itself
// (forced: another writer holds the log's lock), and what it must not change: a failure part-way reports exactly
// what was recorded and printed, and each line records the events its own check saw.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, passwordToEnv, runCli, SPEC_EXAMPLE, startCli, tempDir } from './helpers/cli.js';
import { adminSql, freshDatabase } from './helpers/teamLog.js';

const dir = tempDir();
const base = ['check', '--capabilities', SPEC_EXAMPLE, '--now', '2026-11-23T10:00'];
const line = (customer: string, qty = 1) => JSON.stringify({ sku: 'SEAL-KIT', qty, to: 'DE', by: '2026-12-18', customer });
const parsed = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const countChecks = (log: string): number => {
  const db = new Database(log, { readonly: true });
  const { n } = db.prepare('SELECT COUNT(*) AS n FROM checks').get() as { n: number };
  db.close();
  return n;
};

/** The built CLI, fed by the test line by line. */
function batchProcess(log: string) {
  const moved = passwordToEnv([...base, '--input', '-', '--json', '--log', log]);
  const child = spawn(process.execPath, [BIN, ...moved.args], {
    env: { ...process.env, NO_COLOR: '1', PROMISE_LOG: '', PROMISE_CAPABILITIES: '', PROMISE_REP: 'tester', PROMISE_LOCK_TIMEOUT: '60', ...moved.env },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (out.stdout += d));
  child.stderr.on('data', (d) => (out.stderr += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  /** Waits for `what`, 20 s at most: a batch stuck behind the lock would not get there. */
  const until = async (what: () => boolean) => {
    const deadline = Date.now() + 20_000;
    while (!what()) {
      if (Date.now() > deadline) throw new Error(`not yet after 20 s; stdout: ${out.stdout.slice(0, 200)}; stderr: ${out.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, out, closed, until };
}

describe('a logged batch written while it is checked', () => {
  it('while a chunk waits for another writer to let go of the log, the next lines are read and checked', async () => {
    const log = join(dir, 'locked.db');
    expect(runCli([...base, '--sku', 'SEAL-KIT', '--qty', '1', '--to', 'DE', '--by', '2026-12-18', '--log', log]).code).toBe(0);
    const other = new Database(log);
    other.exec('BEGIN IMMEDIATE'); // another process's write, holding SQLite's one write lock
    const batch = batchProcess(log);
    // Once the batch reads (the bad first line says so), its first good line goes to be
    // written FLUSH_MS (200 ms) after it is read, and waits for the lock...
    batch.child.stdin.write(`{not json\n${line('waits')}\n`);
    await batch.until(() => batch.out.stderr.includes(':1: is not valid JSON'));
    await new Promise((r) => setTimeout(r, 1000));
    // ...while the lines after it are read: a bad one says so on stderr at once. Checking
    // inside the write transaction, the batch would wait for the lock before reading on.
    batch.child.stdin.write('{not json either\n');
    await batch.until(() => batch.out.stderr.includes(':3: is not valid JSON'));
    expect(batch.out.stdout).toBe(''); // nothing printed is unrecorded
    expect(countChecks(log)).toBe(1);
    other.exec('COMMIT');
    other.close();
    batch.child.stdin.end(`${line('last')}\n`);
    expect(await batch.closed).toBe(2); // the bad lines
    expect(parsed(batch.out.stdout).map((p) => [p.line, p.id])).toEqual([
      [2, 2],
      [4, 3],
    ]);
    expect(countChecks(log)).toBe(3);
    expect(runCli(['log', 'verify', '--log', log]).code).toBe(0);
  });

  it('the writer thread prints what it records as the batch itself prints: the text view, and --json but for the ids', () => {
    const log = join(dir, 'printed.db');
    // Feasible, at risk, infeasible with alternatives, no lane at all, an order: over two chunks.
    const kinds = [
      { sku: 'PUMP-100', qty: 5, to: 'DE', by: '2026-12-04' },
      { sku: 'PUMP-100', qty: 50, to: 'DE', by: '2026-11-25', customer: 'Zürich — "AG"' },
      { sku: 'PUMP-100', qty: 5000, to: 'DE', by: '2026-12-04' },
      { sku: 'SEAL-KIT', qty: 1, to: 'JP', by: '2026-12-18' },
      { order: 'o', sku: 'SEAL-KIT', qty: 2, to: 'AT', by: '2026-12-18' },
    ];
    const input = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ ...kinds[i % kinds.length], ...(i % 5 === 4 ? { order: `o${i}` } : {}) })).join('\n');
    const text = runCli([...base, '--input', '-', '--log', log], { input });
    const alone = runCli([...base, '--input', '-', '--no-log'], { input });
    expect(text.stderr).toBe('');
    expect(text.stdout.split('\n')).toHaveLength(6002);
    expect(text).toEqual(alone);
    const json = runCli([...base, '--input', '-', '--json', '--log', log], { input });
    const jsonAlone = runCli([...base, '--input', '-', '--json', '--no-log'], { input });
    expect(json.code).toBe(jsonAlone.code);
    expect(parsed(json.stdout).map((p) => p.id)).toEqual(Array.from({ length: 6000 }, (_, i) => 6001 + i));
    expect(parsed(json.stdout).map((p) => ({ ...p, id: null }))).toEqual(parsed(jsonAlone.stdout));
  });

  it('a write that fails in the middle (a trigger refuses one row): one line on stderr, exit 4, exactly the rows recorded reported', () => {
    const log = join(dir, 'refused.db');
    expect(runCli([...base, '--sku', 'SEAL-KIT', '--qty', '1', '--to', 'DE', '--by', '2026-12-18', '--log', log]).code).toBe(0);
    const db = new Database(log);
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON checks WHEN NEW.customer = 'refused' BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END`);
    db.close();
    // The refused row is in the third chunk or a later one (chunks hold at most 5,000 lines, fewer when reading is slow).
    const input = Array.from({ length: 18_000 }, (_, i) => line(i === 12_345 ? 'refused' : `c${i}`)).join('\n');
    const r = runCli([...base, '--input', '-', '--json', '--log', log], { input });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^promise: log \S+refused\.db cannot be written \(refused by a trigger\); the first (\d+) check\(s\) were recorded and printed, none after them\n$/,
    );
    const told = Number(/the first (\d+) check/.exec(r.stderr)![1]);
    expect(told).toBeGreaterThan(0);
    expect(told).toBeLessThanOrEqual(12_345);
    const printed = parsed(r.stdout);
    expect(printed.map((p) => p.id)).toEqual(Array.from({ length: told }, (_, i) => i + 2));
    expect(printed.map((p) => p.line)).toEqual(Array.from({ length: told }, (_, i) => i + 1));
    expect(countChecks(log)).toBe(told + 1);
    expect(runCli(['log', 'verify', '--log', log]).code).toBe(0);
  });

  it('a commit made by another process between two chunks: the lines after it record it and check against its hold; replay agrees', async () => {
    const log = join(dir, 'between.db');
    const batch = batchProcess(log);
    // berlin has 2,000 SEAL-KIT; the first line asks for 1,900 of them. Its chunk goes out
    // FLUSH_MS after it: once it is printed it is recorded.
    batch.child.stdin.write(`${line('first', 1900)}\n`);
    await batch.until(() => batch.out.stdout.includes('\n'));
    expect(parsed(batch.out.stdout)[0]).toMatchObject({ id: 1, verdict: 'feasible' });
    expect(runCli(['commit', '1', '--log', log]).code).toBe(0);
    batch.child.stdin.end(`${line('second', 500)}\n${line('third', 50)}\n`);
    expect(await batch.closed).not.toBeNull();
    const db = new Database(log, { readonly: true });
    const rows = db.prepare('SELECT id, events_seen, verdict FROM checks ORDER BY id').all();
    db.close();
    // The first line saw no event; the lines after the commit saw it, and the 1,900 units it holds.
    expect(rows).toEqual([
      { id: 1, events_seen: 0, verdict: 'feasible' },
      { id: 2, events_seen: 1, verdict: expect.not.stringMatching(/^feasible$/) },
      { id: 3, events_seen: 1, verdict: 'feasible' },
    ]);
    for (const id of ['2', '3']) expect(runCli(['replay', id, '--log', log]).code).toBe(0);
  });
});

describe('a batch logged to a team log written while it is checked', () => {
  it("while a chunk's insert waits for a lock another session holds, the next lines are read and checked; the chain verifies", async () => {
    const log = await freshDatabase();
    expect((await startCli([...base, '--sku', 'SEAL-KIT', '--qty', '1', '--to', 'DE', '--by', '2026-12-18', '--log', log])).code).toBe(0);
    const admin = adminSql(log);
    const watch = adminSql(log);
    const count = async () => (await watch`SELECT COUNT(*)::int AS n FROM checks`)[0]!.n as number;
    let batch!: ReturnType<typeof batchProcess>;
    await admin.begin(async (tx) => {
      // Reads go on (the batch's own reads of the events' head); inserts into checks wait.
      await tx`LOCK TABLE checks IN EXCLUSIVE MODE`;
      batch = batchProcess(log);
      batch.child.stdin.write(`{not json\n${line('waits')}\n`);
      await batch.until(() => batch.out.stderr.includes(':1: is not valid JSON'));
      // The writer thread's insert of line 2 is waiting for the lock...
      for (let i = 0; ; i++) {
        const [row] = await watch`SELECT COUNT(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND a.datname = current_database()`;
        if (row!.n > 0) break;
        if (i > 400) throw new Error('the batch never waited for the lock');
        await new Promise((r) => setTimeout(r, 50));
      }
      // ...while the lines after it are read: a bad one says so at once.
      batch.child.stdin.write('{not json either\n');
      await batch.until(() => batch.out.stderr.includes(':3: is not valid JSON'));
      expect(batch.out.stdout).toBe(''); // nothing printed is unrecorded
    });
    expect(await count()).toBe(1);
    batch.child.stdin.end(`${line('last')}\n`);
    expect(await batch.closed).toBe(2); // the bad lines
    expect(parsed(batch.out.stdout).map((p) => [p.line, p.id])).toEqual([
      [2, 2],
      [4, 3],
    ]);
    expect(await count()).toBe(3);
    await Promise.all([admin.end(), watch.end()]);
    expect((await startCli(['log', 'verify', '--log', log])).code).toBe(0);
  });
});
