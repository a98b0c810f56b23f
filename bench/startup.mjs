// Start-up: medians of repeated runs, each as a ratio to bare `node -e 0` measured
// in the same run (absolute times on a shared machine say little).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'promise.js');

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall ms of one run of node with `args`; an exit outside `ok` is an error. */
export function timeRun(args, env, ok = [0, 3]) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', cwd: ROOT });
  if (!ok.includes(r.status)) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Issue 25's targets, as ratios to `node -e 0` in the same run. */
export const TARGETS = {
  'promise --help': '<= 1.1x',
  'promise --help (rendered)': '(none: at a terminal)',
  'promise check (logged)': '<= 1.3x',
  'promise check --json --no-log': '<= 1.2x',
};

/**
 * The floor ladder (bench/floors/): programs that do only what each kind of run must do,
 * with Node and better-sqlite3 alone. How far a figure is above its floor is what our
 * code costs; how far the floor is above `node -e 0` is what no code of ours can remove.
 */
const FLOORS = {
  'promise --help': 'floor: answer to a pipe',
  'promise check (logged)': 'floor: + index read, one chained row committed',
  'promise check --json --no-log': 'floor: + SQLite, index and log read',
};

export function startup(runs = 21) {
  const dir = mkdtempSync(join(tmpdir(), 'promise-bench-'));
  const env = { ...process.env, PROMISE_LOG: join(dir, 'log.db'), XDG_CACHE_HOME: join(dir, 'cache'), NO_COLOR: '1' };
  const check = [BIN, 'check', '--sku', 'PUMP-100', '--qty', '50', '--to', 'DE', '--by', '2026-12-04', '--now', '2026-11-23T10:00'];
  // The cold runs: the capabilities index and the log the floors read, the code caches.
  timeRun(check, env);
  timeRun([...check, '--json', '--no-log'], env);
  const index = join(
    dir,
    'cache',
    'promise',
    readdirSync(join(dir, 'cache', 'promise')).find((f) => f.endsWith('.db')),
  );
  const floor = join(ROOT, 'bench', 'floors');
  const cases = {
    'node -e 0': ['-e', '0'],
    [FLOORS['promise --help']]: [join(floor, 'answer.cjs')],
    [FLOORS['promise check --json --no-log']]: [join(floor, 'check.cjs'), index, join(dir, 'log.db')],
    [FLOORS['promise check (logged)']]: [join(floor, 'check.cjs'), index, join(dir, 'floor-log.db'), 'logged'],
    'promise --help': [BIN, '--help'],
    // As at a terminal: rendered by the CLI (bin/promise.js prints the build's text into a pipe).
    'promise --help (rendered)': [BIN, '--help', { FORCE_COLOR: '0' }],
    'promise check (logged)': check,
    'promise check --json --no-log': [...check, '--json', '--no-log'],
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  // Interleave the cases so a slow moment of the machine hits them all alike.
  for (let i = 0; i < runs; i++)
    for (const [name, args] of Object.entries(cases)) {
      const extra = typeof args.at(-1) === 'object' ? args.at(-1) : undefined;
      times[name].push(timeRun(extra ? args.slice(0, -1) : args, extra ? { ...env, ...extra } : env));
    }
  rmSync(dir, { recursive: true, force: true });
  const base = median(times['node -e 0']);
  const ratio = (name) => Math.round((median(times[name]) / base) * 100) / 100;
  return Object.entries(times).map(([name, t]) => ({
    name,
    median_ms: Math.round(median(t) * 10) / 10,
    beyond_node_ms: Math.round((median(t) - base) * 10) / 10,
    ratio: ratio(name),
    target: TARGETS[name] ?? '',
    floor: FLOORS[name] ? `${ratio(FLOORS[name])}x` : '',
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(startup(Number(process.argv[2] ?? 21)));
