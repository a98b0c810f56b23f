// The team log through the built CLI, as reps on several machines use it: many
// processes against one PostgreSQL database, a server that fails, a login that
// is refused, and the database refusing edits on its own.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/log/migrations.js';
import { BIN, passwordToEnv, SPEC_EXAMPLE, tempDir } from './helpers/cli.js';
import { PG_PASSWORD, startPostgres } from './helpers/postgres.js';
import { adminSql, freshDatabase, pgUrl } from './helpers/teamLog.js';

const env = { ...process.env, NO_COLOR: '1', PROMISE_REP: 'load', PROMISE_CAPABILITIES: '', PROMISE_LOG: '' };
const CHECK = ['check', '--capabilities', SPEC_EXAMPLE, '--now', '2026-11-23T10:00'];
const PUMPS = (qty: number) => ['--sku', 'PUMP-100', '--qty', String(qty), '--to', 'DE', '--by', '2026-12-04', '--from', 'berlin'];

function run(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const moved = passwordToEnv(args);
  const child = spawn(process.execPath, [BIN, ...moved.args], { env: { ...env, ...moved.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.on('error', () => {});
  child.stdin.end(input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
}

const lines = (n: number, make: (i: number) => object) => Array.from({ length: n }, (_, i) => JSON.stringify(make(i))).join('\n');

describe('many reps, one database', () => {
  it('20 processes commit 20 checks of 10 against 120 units at once: exactly 12 commit, 8 are refused with the reason', async () => {
    const log = await freshDatabase();
    const checked = await run(
      [...CHECK, '--log', log, '--input', '-', '--json'],
      lines(20, () => ({ sku: 'PUMP-100', qty: 10, to: 'DE', by: '2026-12-04', from: 'berlin' })),
    );
    expect(checked.stderr).toBe('');
    const commits = await Promise.all(Array.from({ length: 20 }, (_, i) => run(['commit', String(i + 1), '--log', log])));
    expect(commits.filter((c) => c.code === 0)).toHaveLength(12);
    const refused = commits.filter((c) => c.code === 1);
    expect(refused).toHaveLength(8);
    for (const r of refused)
      expect(r.stderr).toMatch(
        /^promise: cannot commit check \d+: berlin has only \d+ PUMP-100 available to promise on 2026-11-24, 10 needed \(committed to others/,
      );
    const sql = adminSql(log);
    const [held] = await sql`SELECT SUM(qty)::int AS held FROM holds WHERE location = 'berlin'`;
    await sql.end();
    expect(held).toEqual({ held: 120 });
    expect((await run(['log', 'verify', '--log', log])).code).toBe(0);
  });

  it('8 processes × 500 checks: 4,000 rows, no gap, no fork, the chain verifies', async () => {
    const log = await freshDatabase();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        run(
          [...CHECK, '--log', log, '--input', '-', '--json'],
          lines(500, (i) => ({ sku: 'SEAL-KIT', qty: 1, to: 'DE', by: '2026-12-18', customer: `w${w}-${i}` })),
        ),
      ),
    );
    for (const r of results) expect([r.code, r.stderr, r.stdout.trim().split('\n').length]).toEqual([0, '', 500]);
    const verify = await run(['log', 'verify', '--log', log]);
    expect(verify.stdout).toContain('ok (4000 checks, 0 events');
  });

  it('two reps starting at once on an empty database: both work, the schema is made once', async () => {
    const log = await freshDatabase();
    const both = await Promise.all(
      [0, 1, 2, 3].map(() => run([...CHECK, '--log', log, '--sku', 'PUMP-100', '--qty', '1', '--to', 'DE', '--by', '2026-12-04'])),
    );
    for (const r of both) expect([r.code, r.stderr]).toEqual([0, '']);
    const sql = adminSql(log);
    const [version] = await sql`SELECT COUNT(*)::int AS rows, MAX(version) AS version FROM promise_schema`;
    await sql.end();
    expect(version).toEqual({ rows: 1, version: MIGRATIONS.length });
  });
});

describe('least privilege: promise log grant, and the database derives what reps may not write', () => {
  it('a rep granted by log grant checks and commits as its role; it cannot free a hold, stop the chain, forge a text or record as another rep', async () => {
    const log = await freshDatabase();
    expect((await run([...CHECK, '--log', log, ...PUMPS(100)])).code).toBe(0);
    const db = new URL(log).pathname.slice(1);
    const [rep, ops, boss] = ['rep', 'ops', 'boss'].map((r) => `${r}_${db.slice(-8)}`) as [string, string, string];
    const admin = adminSql(log);
    for (const role of [rep, ops, boss]) await admin.unsafe(`CREATE ROLE ${role} LOGIN PASSWORD 'secret'`);
    await admin.end();
    const as = (role: string) => pgUrl(db).replace(`postgres:${PG_PASSWORD}`, `${role}:secret`);

    // Printed for a DBA to read (and pipe to psql); nothing is run.
    const printed = await run(['log', 'grant', rep, '--rep', '--log', log]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(
      `GRANT INSERT ON "public"."capabilities", "public"."feeds", "public"."checks", "public"."events", "public"."delivered" TO "${rep}";`,
    );
    expect(printed.stdout).not.toMatch(/INSERT ON[^;]*"(holds|commitments|chain_heads|lateness)"/);
    expect((await run([...CHECK, '--log', as(rep), ...PUMPS(1)])).stderr).toMatch(/permission denied/);
    for (const [role, kind] of [
      [rep, '--rep'],
      [ops, '--ops'],
      [boss, '--owner'],
    ] as const) {
      expect((await run(['log', 'grant', role, kind, '--apply', '--log', log])).code).toBe(0);
    }

    // The rep checks and commits; every row records the role, whatever --rep says.
    expect((await run([...CHECK, '--log', as(rep), ...PUMPS(10), '--rep', 'someone-else'])).code).toBe(0);
    expect((await run(['commit', '2', '--log', as(rep), '--rep', 'someone-else'])).code).toBe(0);
    const listed = JSON.parse((await run(['log', '--log', log, '--json'])).stdout) as { id: number; rep: string }[];
    expect(listed.find((r) => r.id === 2)!.rep).toBe(rep);
    // Operations closes a commitment but records no check; the owner's role records the rep it is given (promise serve).
    expect((await run([...CHECK, '--log', as(ops), ...PUMPS(1)])).stderr).toMatch(/permission denied for table/);
    expect((await run([...CHECK, '--log', as(boss), ...PUMPS(1), '--rep', 'anna', '--json'])).code).toBe(0);
    expect(JSON.parse((await run(['log', '--log', log, '--json', '--limit', '1'])).stdout)[0].rep).toBe('anna');
    expect((await run(['outcome', '2', '--met', '--on', '2026-12-03', '--now', '2026-12-03T18:00', '--log', as(ops)])).code).toBe(0);

    // What a rep's role could do to everyone before: each refused by the database.
    const sql = adminSql(as(rep));
    const refused = async (statement: string) => {
      const e = await sql.unsafe(statement).then(
        () => null,
        (err: Error) => err,
      );
      expect(e?.message ?? `${statement} was allowed`).toMatch(/permission denied|append-only|hashes to|records checks as itself/);
    };
    await refused('DELETE FROM holds');
    await refused("INSERT INTO holds (check_id, location, sku, qty, day, source) VALUES (1, 'berlin', 'PUMP-100', -100, 20000, 'stock')");
    await refused("UPDATE commitments SET status = 'released'");
    await refused("UPDATE chain_heads SET hash = 'x'");
    await refused('UPDATE lateness SET n = 0');
    await refused("UPDATE capabilities SET content = 'forged'");
    await refused(`INSERT INTO capabilities (sha256, content) VALUES ('${'a'.repeat(64)}', 'locations: []')`);
    await refused('DELETE FROM events');
    await refused(
      `INSERT INTO checks SELECT id + 100, recorded_at, now, 'someone-else', customer, kind, sku, region, qty, "by", service, promise, verdict, result,
         capabilities_path, capabilities_sha256, tool_version, events_seen, prev_hash, hash FROM checks WHERE id = 1`,
    );
    await sql.end();
    const verify = await run(['log', 'verify', '--log', log]);
    expect([verify.code, verify.stdout]).toEqual([0, expect.stringContaining('ok (3 checks, 2 events, 1 commitments')]);

    // Misuse: one line, exit 2.
    expect((await run(['log', 'grant', rep, '--log', log])).stderr).toBe('promise: log grant needs exactly one of --rep, --ops or --owner\n');
    expect((await run(['log', 'grant', rep, '--rep', '--ops', '--log', log])).code).toBe(2);
  });
});

describe('failures: exit 4 in bounded time, one line, never the password', () => {
  const expectOneLine = (r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) => {
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain(PG_PASSWORD);
    expect(r.stderr).not.toContain('s3cr3t');
  };
  const check = (log: string) => run([...CHECK, '--log', log, '--sku', 'PUMP-100', '--qty', '1', '--to', 'DE', '--by', '2026-12-04']);

  it('nothing listens on the port', async () => {
    const r = await check('postgres://anna:s3cr3t@127.0.0.1:1/promise');
    expectOneLine(r, /^promise: log postgres:\/\/anna@127\.0\.0\.1:1\/promise cannot be reached \(connection refused\); nothing was recorded\n$/);
  });

  it('a server that accepts but never answers: connect_timeout', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const r = await check(`postgres://anna:s3cr3t@127.0.0.1:${port}/promise?connect_timeout=2`);
    silent.close();
    expectOneLine(r, /did not answer within 2 s \(connect_timeout\); nothing was recorded\n$/);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('the connection is asked for before the capabilities load; a bad file then ends the run at once, not at connect_timeout', async () => {
    let connected = false;
    const silent = createServer(() => {
      connected = true;
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'timezone: Europe/Berlin\nlocations: [\n');
    const log = `postgres://anna:s3cr3t@127.0.0.1:${port}/promise?connect_timeout=60`;
    const r = await run([
      'check',
      '--capabilities',
      bad,
      '--now',
      '2026-11-23T10:00',
      '--log',
      log,
      '--sku',
      'PUMP-100',
      '--qty',
      '1',
      '--to',
      'DE',
      '--by',
      '2026-12-04',
    ]);
    silent.close();
    expect(connected).toBe(true);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^promise: .*bad\.yaml:\d+:\d+: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.ms).toBeLessThan(30_000); // the silent server would hold it 60 s
  });

  it('a wrong password, and a database that does not exist', async () => {
    const wrong = (await freshDatabase()).replace(PG_PASSWORD, 's3cr3t');
    expectOneLine(await check(wrong), /refused the login of postgres \(wrong password\); nothing was recorded\n$/);
    const missing = pgUrl('no_such_database');
    expectOneLine(await check(missing), /has no database "no_such_database"; nothing was recorded\n$/);
  });

  it('the server stopped (pg_ctl stop -m immediate) in the middle of a 40,000-line batch: exit 4, every row reported is in the database', async () => {
    const server = await startPostgres();
    try {
      const log = await server.createDatabase('crash');
      const moved = passwordToEnv([...CHECK, '--log', log, '--input', '-', '--json']);
      const child = spawn(process.execPath, [BIN, ...moved.args], { env: { ...env, ...moved.env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.stdin.on('error', () => {});
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.stdin.write(`${lines(20_000, (i) => ({ sku: 'SEAL-KIT', qty: 1, to: 'DE', by: '2026-12-18', customer: `c${i}` }))}\n`);
      // Once some chunks are in, the server goes away without a clean shutdown.
      for (let i = 0; i < 400 && stdout.split('\n').length < 6000; i++) await new Promise((r) => setTimeout(r, 25));
      server.crash();
      child.stdin.end(`${lines(20_000, (i) => ({ sku: 'SEAL-KIT', qty: 1, to: 'DE', by: '2026-12-18', customer: `d${i}` }))}\n`);
      const code = await closed;
      expect(code).toBe(4);
      expect(stderr).toMatch(
        /^promise: log postgres:\/\/postgres@127\.0\.0\.1:\d+\/crash (went away in the middle of the command|cannot be reached|is starting up)[^\n]*; the first \d+ check\(s\) were recorded and printed, none after them\n$/,
      );
      const reported = stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).id as number);
      // Exactly as many as it says: a rep who believes it does not re-run what was recorded.
      expect(Number(/the first (\d+) check/.exec(stderr)![1])).toBe(reported.length);
      expect(reported.length).toBeGreaterThan(0);
      expect(reported.length).toBeLessThan(40_000);
      // Back up: what was reported is there, and the chain holds.
      await server.restart();
      const sql = server.admin('crash');
      const [row] = await sql`SELECT COUNT(*)::int AS n, MAX(id)::int AS last FROM checks`;
      await sql.end();
      expect(row!.n).toBeGreaterThanOrEqual(reported.length);
      expect(Math.max(...reported)).toBeLessThanOrEqual(row!.last);
      expect((await run(['log', 'verify', '--log', log])).code).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
