// Start-up: medians of repeated runs, each as a ratio to bare `node -e 0` measured
// in the same run (absolute times on a shared machine say little).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

export function startup(runs = 21) {
  const dir = mkdtempSync(join(tmpdir(), 'promise-bench-'));
  const env = { ...process.env, PROMISE_LOG: join(dir, 'log.db'), XDG_CACHE_HOME: join(dir, 'cache'), NO_COLOR: '1' };
  const cases = {
    'node -e 0': ['-e', '0'],
    'promise --help': [BIN, '--help'],
    'promise check (logged)': [BIN, 'check', '--sku', 'PUMP-100', '--qty', '50', '--to', 'DE', '--by', '2026-12-04', '--now', '2026-11-23T10:00'],
    'promise check --json --no-log': [
      BIN,
      'check',
      '--sku',
      'PUMP-100',
      '--qty',
      '50',
      '--to',
      'DE',
      '--by',
      '2026-12-04',
      '--now',
      '2026-11-23T10:00',
      '--json',
      '--no-log',
    ],
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  // Interleave the cases so a slow moment of the machine hits them all alike.
  for (let i = 0; i < runs; i++) for (const [name, args] of Object.entries(cases)) times[name].push(timeRun(args, env));
  rmSync(dir, { recursive: true, force: true });
  const base = median(times['node -e 0']);
  return Object.entries(times).map(([name, t]) => ({
    name,
    median_ms: Math.round(median(t) * 10) / 10,
    beyond_node_ms: Math.round((median(t) - base) * 10) / 10,
    ratio: Math.round((median(t) / base) * 100) / 100,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(startup(Number(process.argv[2] ?? 21)));
