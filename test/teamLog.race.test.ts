// Races on the team log, forced rather than hoped for: a superuser transaction
// holds a table lock so the CLI process stops at one exact statement, another
// rep's commit lands right then (written inside that transaction as the tool
// writes it), and the lock is let go.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { chainRows } from '../src/log/chain.js';
import { ALL_COMMITS_LOCK } from '../src/log/postgres/postgresDialect.js';
import { SPEC_EXAMPLE, startCli, tempDir } from './helpers/cli.js';
import { adminSql, freshDatabase } from './helpers/teamLog.js';

const CHECK = ['check', '--capabilities', SPEC_EXAMPLE, '--now', '2026-11-23T10:00'];
const PUMPS = (qty: number) => ['--sku', 'PUMP-100', '--qty', String(qty), '--to', 'DE', '--by', '2026-12-04', '--from', 'berlin'];

const start = startCli;

/** Until `sessions` sessions of this database wait for a lock: the processes have reached the statement we hold them at. */
async function untilBlocked(watch: postgres.Sql, sessions = 1): Promise<void> {
  for (let i = 0; i < 600; i++) {
    // A row lock's waiters wait on a tuple or on the holder's transaction id, which names no database: match by session.
    const [row] = await watch`SELECT COUNT(DISTINCT l.pid)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE NOT l.granted AND a.datname = current_database()`;
    if (row!.n >= sessions) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the process never blocked');
}

/** Another rep's commit of check `id`, written as the tool writes one: the event on the chain (the database derives the rest). */
async function commitByHand(tx: postgres.TransactionSql, id: number): Promise<void> {
  const [head] = await tx`SELECT last_id, hash FROM chain_heads WHERE tbl = 'events'`;
  const event = { check_id: id, kind: 'commit', at: new Date().toISOString(), rep: 'other', detail: '{}' };
  const { values } = chainRows('events', { lastId: Number(head!.last_id), hash: head!.hash }, [event]);
  await tx.unsafe('INSERT INTO events (id, check_id, kind, at, rep, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', values[0] as never[]);
}

async function heldAtBerlin(log: string): Promise<number> {
  const sql = adminSql(log);
  const [row] = await sql`SELECT COALESCE(SUM(qty), 0)::int AS held FROM holds WHERE location = 'berlin' AND sku = 'PUMP-100'`;
  await sql.end();
  return row!.held;
}

describe('races forced at the statement where they hurt (berlin has 120 PUMP-100)', () => {
  it('a commit landing while a committing batch starts is seen: the batch never holds units already held', async () => {
    const log = await freshDatabase();
    expect((await start([...CHECK, '--log', log, ...PUMPS(100)])).code).toBe(0);
    const admin = adminSql(log);
    const watch = adminSql(log);
    let batch!: ReturnType<typeof start>;
    await admin.begin(async (tx) => {
      // The batch reads its holds, then stops at the first statement that touches the chain heads.
      await tx`LOCK TABLE chain_heads IN ACCESS EXCLUSIVE MODE`;
      const lines = Array.from({ length: 30 }, () => JSON.stringify({ sku: 'PUMP-100', qty: 1, to: 'DE', by: '2026-12-04', from: 'berlin' })).join('\n');
      batch = start([...CHECK, '--log', log, '--input', '-', '--commit', '--json'], lines);
      await untilBlocked(watch);
      await commitByHand(tx, 1);
    });
    await Promise.all([admin.end(), watch.end()]);
    const done = await batch;
    expect(done.stderr).toBe('');
    const verdicts = done.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).verdict as string);
    expect(verdicts.filter((v) => v === 'feasible')).toHaveLength(20);
    expect(await heldAtBerlin(log)).toBe(120);
    expect((await start(['log', 'verify', '--log', log])).code).toBe(0);
  });

  it('a commit landing while a check is under way: the check reads after it (reads and write are one transaction), and replays the same', async () => {
    const log = await freshDatabase();
    expect((await start([...CHECK, '--log', log, ...PUMPS(100)])).code).toBe(0);
    const admin = adminSql(log);
    const watch = adminSql(log);
    let second!: ReturnType<typeof start>;
    await admin.begin(async (tx) => {
      // The check has taken the chain's lock; its first read (is the text kept?) waits here.
      await tx`LOCK TABLE capabilities IN ACCESS EXCLUSIVE MODE`;
      second = start([...CHECK, '--log', log, ...PUMPS(30), '--json']);
      await untilBlocked(watch);
      await commitByHand(tx, 1);
    });
    await Promise.all([admin.end(), watch.end()]);
    const checked = await second;
    // 100 of berlin's 120 are now held: the check counted them (before, it had read its holds first and saw none).
    expect(JSON.parse(checked.stdout)).toMatchObject({ id: 2, verdict: 'infeasible' });
    const replay = await start(['replay', '2', '--log', log]);
    expect(replay.stdout).toContain('Check 2 replays the same: infeasible');
    expect(replay.code).toBe(0);
  });

  it('release and outcome of one commitment at once: exactly one changes it, the other is refused (exit 2, never 4)', async () => {
    const log = await freshDatabase();
    expect((await start([...CHECK, '--log', log, ...PUMPS(10)])).code).toBe(0);
    expect((await start(['commit', '1', '--log', log])).code).toBe(0);
    const admin = adminSql(log);
    const watch = adminSql(log);
    let closings!: ReturnType<typeof start>[];
    await admin.begin(async (tx) => {
      // Both have read the commitment as open; both now wait on its row.
      await tx`SELECT status FROM commitments WHERE check_id = 1 FOR UPDATE`;
      closings = [start(['release', '1', '--log', log]), start(['outcome', '1', '--met', '--on', '2026-12-01', '--now', '2026-12-02T10:00', '--log', log])];
      await untilBlocked(watch, 2);
    });
    await Promise.all([admin.end(), watch.end()]);
    const done = await Promise.all(closings);
    expect(done.map((d) => d.code).sort()).toEqual([0, 2]);
    expect(done.find((d) => d.code === 2)!.stderr).toMatch(/^promise: check 1 is already (released|met)\n$/);
    const sql = adminSql(log);
    const [events] = await sql`SELECT COUNT(*)::int AS n FROM events WHERE kind IN ('release', 'outcome')`;
    await sql.end();
    expect(events).toEqual({ n: 1 });
    expect((await start(['log', 'verify', '--log', log])).code).toBe(0);
  });
});

describe('nobody waits forever, whatever release wrote the log', () => {
  const gaveUp =
    /kept a lock held by another writer longer than 2 s \(PROMISE_LOCK_TIMEOUT\); nothing was recorded\n$|stayed locked by another process \(PROMISE_LOCK_TIMEOUT\); nothing was recorded\n$/;

  it('PostgreSQL: a committing batch stopped (Ctrl-Z) while it holds the commit lock: a commit gives up, exit 4, naming the lock', async () => {
    const log = await freshDatabase();
    expect((await start([...CHECK, '--log', log, ...PUMPS(10)])).code).toBe(0);
    const batch = adminSql(log);
    await batch.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${ALL_COMMITS_LOCK})`;
      const r = await start(['commit', '1', '--log', log], '', { PROMISE_LOCK_TIMEOUT: '2' });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(gaveUp);
    });
    await batch.end();
    expect((await start(['commit', '1', '--log', log])).code).toBe(0);
  });

  it('SQLite: a writer that keeps the write lock: a check gives up, exit 4; a bad PROMISE_LOCK_TIMEOUT is exit 2', async () => {
    const log = join(tempDir(), 'locked.db');
    expect((await start([...CHECK, '--log', log, ...PUMPS(10)])).code).toBe(0);
    const other = new Database(log);
    other.exec('BEGIN IMMEDIATE');
    const r = await start([...CHECK, '--log', log, ...PUMPS(10)], '', { PROMISE_LOCK_TIMEOUT: '2' });
    other.exec('ROLLBACK');
    other.close();
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(gaveUp);
    const bad = await start([...CHECK, '--log', log, ...PUMPS(10)], '', { PROMISE_LOCK_TIMEOUT: 'soon' });
    expect(bad).toMatchObject({ code: 2, stderr: 'promise: PROMISE_LOCK_TIMEOUT: "soon" is not a number of seconds above 0\n' });
  });

  it('a log a newer release migrated is refused with one line (exit 4), on both logs; the version is never lowered', async () => {
    const pg = await freshDatabase();
    const file = join(tempDir(), 'newer.db');
    for (const log of [pg, file]) expect((await start([...CHECK, '--log', log, ...PUMPS(1)])).code).toBe(0);
    const admin = adminSql(pg);
    await admin`UPDATE promise_schema SET version = 99`;
    const sqlite = new Database(file);
    sqlite.pragma('user_version = 99');
    sqlite.close();
    for (const log of [pg, file]) {
      const r = await start([...CHECK, '--log', log, ...PUMPS(1)]);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/^promise: log \S+ was written by a newer release of promise \(schema 99; this one knows \d+\): upgrade promise\n$/);
    }
    const [row] = await admin`SELECT version FROM promise_schema`;
    await admin.end();
    expect(row).toEqual({ version: 99 });
  });
});
