// A company at 100,000 products whose supply comes from feeds (FEEDS.md, issue
// "instant at any size"): validate against `node -e 0`, the first check (it builds
// the index), and warm checks against the same check on the shipped
// capabilities.yaml, interleaved in one run. `node bench/feeds.mjs` runs it alone.
import { existsSync, mkdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { generateFeedCompany } from './generate.mjs';
import { median, timeRun } from './startup.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'promise.js');
const NOW = ['--now', '2026-11-23T10:00'];
const FEEDS = ['products.csv', 'stock.csv', 'incoming.csv'];

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export function feeds({ out, env }) {
  const dir = join(out, 'feeds-100k');
  if (!existsSync(join(dir, 'incoming.csv'))) generateFeedCompany(dir);
  const caps = join(dir, 'capabilities.yaml');
  const ms = (args) => timeRun(args, env, [0, 1, 3]);
  const check = (file, sku) => [
    BIN,
    'check',
    '--capabilities',
    file,
    '--sku',
    sku,
    '--qty',
    '5',
    '--to',
    'DE',
    '--by',
    '2026-12-20',
    '--no-log',
    '--json',
    ...NOW,
  ];
  const bytes = FEEDS.reduce((n, f) => n + statSync(join(dir, f)).size, 0);

  const bare = [];
  const validate = [];
  for (let i = 0; i < 3; i++) {
    bare.push(ms(['-e', '0']));
    validate.push(ms([BIN, 'validate', caps, ...NOW]));
  }
  rmSync(join(env.XDG_CACHE_HOME, 'promise'), { recursive: true, force: true });
  mkdirSync(env.XDG_CACHE_HOME, { recursive: true });
  const first = ms(check(caps, 'SKU-000001'));
  // Files changed within 2 s of being hashed are hashed again (src/capabilities/cache.ts):
  // let them settle, as they have between real checks.
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (const f of ['capabilities.yaml', ...FEEDS]) utimesSync(join(dir, f), hourAgo, hourAgo);
  ms(check(caps, 'SKU-000001'));
  ms(check(join(ROOT, 'capabilities.yaml'), 'PUMP-100'));
  const big = [];
  const shipped = [];
  for (let i = 0; i < 11; i++) {
    big.push(ms(check(caps, `SKU-${String((i * 7919) % 100_000).padStart(6, '0')}`)));
    shipped.push(ms(check(join(ROOT, 'capabilities.yaml'), 'PUMP-100')));
  }
  return [
    {
      figure: 'validate: 100k products + 300k stock + 100k incoming rows (feeds)',
      value: `${fmt(median(validate) / median(bare), 1)}x node -e 0 (${fmt(median(validate) / 1000, 2)} s, ${fmt(bytes / 1048576, 1)} MiB of CSV)`,
      goal: '<= 40x',
    },
    {
      figure: 'warm check at 100k products (feeds) vs the shipped capabilities.yaml',
      value: `${fmt(median(big) / median(shipped), 2)}x (${fmt(median(big))} vs ${fmt(median(shipped))} ms; the first check, building the index: ${fmt(first / 1000, 1)} s)`,
      goal: '<= 1.5x',
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = join(ROOT, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  console.table(feeds({ out, env: { ...process.env, XDG_CACHE_HOME: join(out, 'cache'), NO_COLOR: '1' } }));
}
