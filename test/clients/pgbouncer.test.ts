// The team log behind a transaction-mode pooler (TEAM.md: "it works behind a
// transaction-mode pooler"): Debian's pgbouncer in front of the test server,
// several reps' checks, commits and a committing batch through it at once.
// pgbouncer hands each transaction to whichever server connection is free, so
// named prepared statements or session settings would break here.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SPEC_EXAMPLE, startCli } from '../helpers/cli.js';
import { startPgbouncer } from '../helpers/pgbouncer.mjs';
import { PG_PASSWORD } from '../helpers/postgres.js';
import { adminSql, freshDatabase } from '../helpers/teamLog.js';

const CHECK = ['check', '--capabilities', SPEC_EXAMPLE, '--now', '2026-11-23T10:00'];
let bouncer: { port: number; stop: () => void };
let port: number;

beforeAll(async () => {
  bouncer = await startPgbouncer({ upstreamPort: inject('postgresPort'), password: PG_PASSWORD });
  port = bouncer.port;
});
afterAll(() => {
  bouncer?.stop();
});

const run = startCli;

describe('through pgbouncer in transaction mode', () => {
  it('checks, commits and committing batches of several reps at once: all succeed, nothing held twice, the chain verifies', async () => {
    const direct = await freshDatabase();
    const pooled = `postgres://postgres@127.0.0.1:${port}/${new URL(direct).pathname.slice(1)}`;
    const pumps = (qty: number) => ['--sku', 'PUMP-100', '--qty', String(qty), '--to', 'DE', '--by', '2026-12-04', '--from', 'berlin'];
    // The schema is made through the pooler too.
    expect((await run([...CHECK, '--log', pooled, ...pumps(10)])).code).toBe(0);
    const lines = Array.from({ length: 30 }, () => JSON.stringify({ sku: 'PUMP-100', qty: 1, to: 'DE', by: '2026-12-04', from: 'berlin' })).join('\n');
    // Batches of several chunks: each chunk a transaction, on whichever server connection is free.
    const many = Array.from({ length: 12_000 }, (_, i) => JSON.stringify({ sku: 'SEAL-KIT', qty: 1, to: 'DE', by: '2026-12-18', customer: `c${i}` })).join(
      '\n',
    );
    const results = await Promise.all([
      run([...CHECK, '--log', pooled, '--input', '-', '--commit', '--json'], lines),
      run([...CHECK, '--log', pooled, '--input', '-', '--commit', '--json'], lines),
      run([...CHECK, '--log', pooled, '--input', '-', '--json'], many),
      run([...CHECK, '--log', pooled, '--input', '-', '--json'], many),
      run(['commit', '1', '--log', pooled]),
      ...Array.from({ length: 4 }, () => run([...CHECK, '--log', pooled, ...pumps(5), '--json'])),
    ]);
    for (const r of results) expect(r.stderr).toBe('');
    expect(results[4]!.code).toBe(0);
    for (const r of results.slice(2, 4)) expect(r.stdout.trim().split('\n')).toHaveLength(12_000);
    const admin = adminSql(direct);
    const [held] = await admin`SELECT SUM(qty)::int AS n FROM holds WHERE location = 'berlin'`;
    await admin.end();
    // berlin has 120: the commit's 10 and at most 110 of the batches' 60 lines, never more.
    expect(held!.n).toBe(70);
    const verify = await run(['log', 'verify', '--log', pooled]);
    expect(verify.code).toBe(0);
  });
});
