// LEARN.md's two figures: `outcome --input` of 100,000 lines as a ratio to the
// 100,000-line check batch, and `calibrate` over 1,000,000 outcomes as a ratio
// to `stats` on the same log. The million is made in SQL from a logged batch
// (each delivered commitment copied under new ids until there are 1,000,000),
// since a million real commits would take the bench hours.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'promise.js');
const Database = createRequire(import.meta.url)('better-sqlite3');
const LATER = ['--now', '2027-01-15T12:00'];

function timed(args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`promise ${args[0]}: exit ${r.status}: ${r.stderr.slice(0, 500)}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const median = (f, n = 3) => {
  const xs = Array.from({ length: n }, f).sort((a, b) => a - b);
  return xs[Math.floor(n / 2)];
};

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** `batchMs`: the 100,000-line logged check batch, as run.mjs measured it. */
export function learn({ out, env, caps, batchFile, batchMs, lines }) {
  const rows = [];
  const log = join(out, 'learn.db');
  for (const s of ['', '-wal', '-shm']) rmSync(`${log}${s}`, { force: true });
  timed(['check', '--capabilities', caps, '--input', batchFile, '--json', '--commit', '--log', log, '--now', '2026-11-23T10:00'], env);

  // Every open commitment delivered 2026-12-01 (the batch's dates are later: met), by id.
  const db = new Database(log, { readonly: true });
  const ids = db.prepare("SELECT check_id FROM commitments WHERE status = 'open' ORDER BY check_id").pluck().all();
  db.close();
  const csv = join(out, 'outcomes.csv');
  writeFileSync(csv, `id,delivered\n${ids.map((id) => `${id},2026-12-01`).join('\n')}\n`);
  const outcomeMs = timed(['outcome', '--input', csv, '--log', log, '--capabilities', caps, ...LATER], env);
  rows.push({
    figure: `outcome --input of ${fmt(ids.length)} lines vs the ${fmt(lines)}-line check batch`,
    value: `${fmt(outcomeMs / batchMs, 2)}x (${fmt(outcomeMs / 1000, 1)} s vs ${fmt(batchMs / 1000, 1)} s; ${fmt(ids.length / (outcomeMs / 1000))} outcomes/s)`,
    goal: 'a ratio',
  });

  // The delivered checks copied, in SQL, until there are a million: checks, commitments and delivered rows under new ids.
  const w = new Database(log);
  w.pragma('foreign_keys = OFF');
  const top = w.prepare('SELECT MAX(id) FROM checks').pluck().get();
  const delivered = w.prepare('SELECT COUNT(*) FROM delivered').pluck().get();
  const copies = Math.ceil(1_000_000 / delivered);
  w.transaction(() => {
    const cols = w
      .prepare('SELECT * FROM checks LIMIT 1')
      .columns()
      .map((c) => c.name)
      .filter((c) => c !== 'id');
    const cm = w
      .prepare('SELECT * FROM commitments LIMIT 1')
      .columns()
      .map((c) => c.name)
      .filter((c) => c !== 'check_id');
    const dl = ['delivered_on', 'factor', 'key', 'declared', 'late'];
    for (let k = 1; k < copies; k++) {
      // The last copy only as many as make the million.
      const upTo =
        k < copies - 1
          ? top
          : w
              .prepare(`SELECT check_id FROM delivered ORDER BY check_id LIMIT 1 OFFSET ${1_000_000 - k * delivered - 1}`)
              .pluck()
              .get();
      w.exec(`INSERT INTO checks (id, ${cols.join(', ')}) SELECT id + ${k * top}, ${cols.join(', ')} FROM checks WHERE id <= ${upTo}`);
      w.exec(`INSERT INTO commitments (check_id, ${cm.join(', ')}) SELECT check_id + ${k * top}, ${cm.join(', ')} FROM commitments WHERE check_id <= ${upTo}`);
      // A spread of lateness (-2..5 workdays) so the histograms have more than one bar.
      w.exec(
        `INSERT INTO delivered (check_id, ${dl.join(', ')}) SELECT check_id + ${k * top}, delivered_on, factor, key, declared, ((check_id * 7 + ${k}) % 8) - 2 FROM delivered WHERE check_id <= ${upTo}`,
      );
    }
    w.exec('DELETE FROM lateness');
    w.exec('INSERT INTO lateness (factor, key, took, n) SELECT factor, key, declared + late, COUNT(*) FROM delivered GROUP BY factor, key, declared + late');
  })();
  const outcomes = w.prepare('SELECT COUNT(*) FROM delivered').pluck().get();
  w.close();
  const statsMs = median(() => timed(['stats', '--log', log, '--capabilities', caps, '--json'], env));
  const calibrateMs = median(() => timed(['calibrate', '--log', log, '--capabilities', caps, '--json', ...LATER], env));
  const sinceMs = median(() => timed(['calibrate', '--log', log, '--capabilities', caps, '--json', '--since', '2026-01-01', ...LATER], env));
  rows.push({
    figure: `calibrate over ${fmt(outcomes)} outcomes vs stats on the same log`,
    value: `${fmt(calibrateMs / statsMs, 2)}x (${fmt(calibrateMs)} ms vs ${fmt(statsMs)} ms); with --since (reads every delivery): ${fmt(sinceMs / statsMs, 2)}x (${fmt(sinceMs)} ms)`,
    goal: 'a ratio',
  });
  return rows;
}
