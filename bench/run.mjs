// npm run bench: the five figures of the performance issue, printed as a table.
// Inputs are generated (seeded) into bench/out/; nothing here asserts a timing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loggedBatch, measured as measuredRun } from './batch.mjs';
import { feeds } from './feeds.mjs';
import { generateBatch, generateCapabilities } from './generate.mjs';
import { learn } from './learn.mjs';
import { replanFigures } from './replan.mjs';
import { serveBench } from './serve.mjs';
import { startup } from './startup.mjs';
import { teamLog } from './teamLog.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'promise.js');
const OUT = join(ROOT, 'bench', 'out');
const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const NOW = ['--now', '2026-11-23T10:00'];
const Database = createRequire(import.meta.url)('better-sqlite3');
mkdirSync(OUT, { recursive: true });
const env = { ...process.env, XDG_CACHE_HOME: join(OUT, 'cache'), NO_COLOR: '1', PROMISE_REP: 'bench' };

const caps = join(OUT, 'caps-10k.yaml');
const batch = (n) => join(OUT, `batch-${n}.ndjson`);
if (!existsSync(caps)) generateCapabilities(caps);
for (const n of [10_000, 50_000, LINES]) if (!existsSync(batch(n))) generateBatch(batch(n), { lines: n });

const rows = [];
const row = (figure, value, goal, note = '') => rows.push({ figure, value, goal, note });

/** The CLI, with its wall ms and peak KiB (bench/batch.mjs). */
const measured = (args, nodeArgs = []) => measuredRun(BIN, args, env, nodeArgs);

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// 1. Start-up.
for (const s of startup(21))
  if (s.name !== 'node -e 0') row(`start-up: ${s.name}`, `${s.ratio}x node -e 0 (median ${s.median_ms} ms, ${s.beyond_node_ms} ms beyond it)`, s.target);

// Warm the capabilities cache once, as any second run would find it.
spawnSync(
  process.execPath,
  [BIN, 'check', '--capabilities', caps, '--sku', 'SKU-00001', '--qty', '1', '--to', 'DE', '--by', '2026-12-20', '--no-log', ...NOW],
  { env },
);

// 2. Throughput, logged, against the raw insert of the very rows it wrote
// (bench/batch.mjs: same tables and indexes, one prepared INSERT, transactions of 5,000).
const run = await loggedBatch({ bin: BIN, caps, batchFile: batch(LINES), env, out: OUT });
const perSecond = LINES / (run.ms / 1000);
row('throughput: 100k-line batch, logged', `${fmt(perSecond)} checks/s (${fmt(run.ms / 1000, 1)} s wall, including load)`, '>= 50,000/s');
row(
  'logged batch vs raw insert of its rows',
  `${fmt(run.ratio, 2)}x (raw: ${fmt(run.rows / (run.rawMs / 1000))} rows/s, ${fmt(run.rawMs / 1000, 1)} s; peak RSS ${fmt(run.peakKiB / 1024)} MiB)`,
  '>= 0.5x',
);

// 3. Commitments: the same batch against a log holding 100k open commitments.
const logB = join(OUT, 'commitments.db');
for (const s of ['', '-wal', '-shm']) rmSync(`${logB}${s}`, { force: true });
await measured(['check', '--capabilities', caps, '--input', batch(LINES), '--json', '--commit', '--log', logB, ...NOW]);
const held = new Database(logB, { readonly: true });
const openCount = held.prepare("SELECT COUNT(*) AS n FROM commitments WHERE status = 'open'").get().n;
held.close();
const withCommitments = await measured(['check', '--capabilities', caps, '--input', batch(LINES), '--json', '--log', logB, ...NOW]);
row('per-check cost with open commitments', `${fmt(withCommitments.ms / run.ms, 2)}x the cost with none (${fmt(openCount)} open)`, '<= 2x');

// 3b. Commitments re-planned (COMMITMENTS.md): recheck of 10,000, and a check against the log above after a stock drop.
for (const r of replanFigures({ out: OUT, env, caps, log89k: logB })) row(r.figure, r.value, r.goal);

// 4. Validate vs yaml's parse alone (each a fresh process).
const yamlOnly = spawnSyncMs([
  '-e',
  `const {parse}=require(${JSON.stringify(createRequire(import.meta.url).resolve('yaml'))});parse(require('fs').readFileSync(${JSON.stringify(caps)},'utf8'))`,
]);
const validate = spawnSyncMs([BIN, 'validate', caps]);
row('validate 10k-SKU file vs yaml parse alone', `${fmt(validate / yamlOnly, 2)}x (${fmt(statSync(caps).size / 1048576, 1)} MiB)`, '<= 1.5x');

// 5. Peak memory across batch lengths: with V8's default heap sizing (it grows the
// heap lazily), and with the old generation capped at 64 MiB, which a batch that
// retained lines could not finish under.
for (const [label, nodeArgs] of [
  ['default heap', []],
  ['heap capped at 64 MiB', ['--max-old-space-size=64']],
]) {
  const peaks = [];
  for (const n of [10_000, 50_000, LINES])
    peaks.push([n, (await measured(['check', '--capabilities', caps, '--input', batch(n), '--json', '--no-log', ...NOW], nodeArgs)).peakKiB]);
  row(`peak RSS by batch length (${label})`, peaks.map(([n, k]) => `${fmt(n / 1000)}k: ${fmt(k / 1024)} MiB`).join(', '), 'flat');
}

// 6. Orders: the same 50,000 lines checked one by one, and as 10,000 orders of 5
// lines (each order takes the first line's region and date), unlogged: the
// per-line cost of an order against a single check's.
const singles = readFileSync(batch(50_000), 'utf8').trim().split('\n');
const ordersFile = join(OUT, 'orders-10k.ndjson');
const orders = [];
for (let i = 0; i < singles.length; i += 5) {
  const group = singles.slice(i, i + 5).map((l) => JSON.parse(l));
  orders.push(JSON.stringify({ lines: group.map((g) => ({ sku: g.sku, qty: g.qty })), to: group[0].to, by: group[0].by, customer: group[0].customer }));
}
writeFileSync(ordersFile, `${orders.join('\n')}\n`);
const singleRun = await measured(['check', '--capabilities', caps, '--input', batch(50_000), '--json', '--no-log', ...NOW]);
const orderRun = await measured(['check', '--capabilities', caps, '--input', ordersFile, '--json', '--no-log', ...NOW]);
row(
  'orders: per-line cost vs a single check',
  `${fmt(orderRun.ms / singleRun.ms, 2)}x (50,000 lines as 10,000 orders of 5: ${fmt(orderRun.ms / 1000, 1)} s; as 50,000 checks: ${fmt(singleRun.ms / 1000, 1)} s)`,
  'close to 1x',
);

// 9. Learning (LEARN.md): outcomes in bulk, calibrate over a million outcomes.
for (const r of learn({ out: OUT, env, caps, batchFile: batch(LINES), batchMs: run.ms, lines: LINES })) row(r.figure, r.value, r.goal);

// 8. A company at 100,000 products whose supply comes from feeds (bench/feeds.mjs).
for (const r of feeds({ out: OUT, env })) row(r.figure, r.value, r.goal);

// 7. The team log (PostgreSQL), started here.
for (const r of await teamLog({ batchFile: batch(LINES), caps, lines: LINES, env })) row(r.figure, r.value, r.goal);

// 9. promise serve: the same checks over HTTP, 32 clients at once (bench/serve.mjs).
for (const r of await serveBench({ out: OUT, caps, batchFile: batch(LINES), lines: LINES, env })) row(r.figure, r.value, r.goal);

console.table(rows);

function spawnSyncMs(args) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { env });
    if (r.status !== 0) throw new Error(String(r.stderr));
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[1];
}
