// Supply feeds end to end, through the built CLI (FEEDS.md): the reno company's
// products, stock and incoming supply come from CSV exports beside its YAML.
// Dates worked by hand in fixtures/feeds/reno/capabilities.yaml: now is Mon
// 2026-11-23 10:00 in Los Angeles; Thu 26 and Fri 27 are holidays.
import { cpSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, tempDir } from './helpers/cli.js';

const NOW = ['--now', '2026-11-23T10:00'];

/** The fields of `check --json` these tests read. */
interface CheckJson {
  id: number;
  verdict: string;
  capabilities_sha256: string;
  plan: { source: string; ship_date: string } & Record<string, unknown>;
  reasons: { rule: string; ok: boolean; effect?: string; message: string }[];
  alternatives: Record<string, unknown>[];
}

/** A fresh copy of the reno company, its log and its own cache. */
function company() {
  const dir = tempDir();
  const home = join(dir, `c${Math.random().toString(36).slice(2)}`);
  cpSync(fixture('feeds/reno'), home, { recursive: true });
  const file = join(home, 'capabilities.yaml');
  const env = { XDG_CACHE_HOME: join(home, '.cache') };
  const log = join(home, 'log.db');
  const cli = (...args: string[]) => runCli([...args, '--capabilities', file, '--log', log, ...NOW], { env });
  const check = (sku: string, qty: number, by = '2026-12-31', ...more: string[]) => {
    const r = cli('check', '--sku', sku, '--qty', String(qty), '--to', 'CA', '--by', by, '--json', ...more);
    return { code: r.code, ...(JSON.parse(r.stdout) as CheckJson) };
  };
  return { home, file, env, log, cli, check };
}

describe('promising from supply feeds', () => {
  it('replenishment: ready 10 workdays after the order day, the two holidays skipped', () => {
    const { check } = company();
    const r = check('WIDGET', 500);
    // Order Mon 23 (before the 14:00 cut-off); workdays Tue 24, Wed 25, Mon 30, Tue 1, Wed 2,
    // Thu 3, Fri 4, Mon 7, Tue 8, Wed 9: ready Wed 9; two workdays by ground: Fri 11.
    expect(r.plan).toEqual({
      from: 'reno',
      method: 'ground',
      source: 'replenishment',
      order_date: '2026-11-23',
      ship_date: '2026-12-09',
      delivery_date: '2026-12-11',
      spare_days: 13,
    });
    expect(r.verdict).toBe('feasible');
  });

  it('ties prefer stock to replenishment; beyond stock the same day is bought in', () => {
    const { check } = company();
    // CABLE: 5 on hand (ready Tue 24 after a day of handling), bought in with 1 workday: also Tue 24.
    expect(check('CABLE', 5).plan).toMatchObject({ source: 'stock', ship_date: '2026-11-24' });
    expect(check('CABLE', 6).plan).toMatchObject({ source: 'replenishment', ship_date: '2026-11-24' });
  });

  it('alternatives use replenishment: too early for 500, the earliest date is when they can be bought', () => {
    const { check } = company();
    const r = check('WIDGET', 500, '2026-12-04');
    expect(r.verdict).toBe('infeasible');
    expect(r.alternatives[0]).toMatchObject({ kind: 'earliest_date', promise: { by: '2026-12-11' }, plan: { source: 'replenishment' } });
  });

  it('stale stock: figures older than max_stock_age_hours make the check at_risk; rows without as_of are current', () => {
    const { check } = company();
    const gadget = check('GADGET', 5);
    expect(gadget.code).toBe(3);
    expect(gadget.reasons).toContainEqual({
      rule: 'stock_age',
      ok: false,
      effect: 'at_risk',
      message: 'the stock figures for GADGET at reno are 76 hours old (as of 2026-11-20T06:00); the policy trusts them for 48',
    });
    const widget = check('WIDGET', 30);
    expect(widget.verdict).toBe('feasible');
    expect(widget.reasons).toContainEqual({
      rule: 'stock_age',
      ok: true,
      message: 'the stock figures for WIDGET at reno are 4 hours old (as of 2026-11-23T06:00)',
    });
    expect(check('BOLT', 5).reasons.map((x) => x.rule)).not.toContain('stock_age');
  });

  it('a commitment on replenishment records what to buy and takes no stock', () => {
    const { cli, check } = company();
    const r = check('WIDGET', 500);
    const committed = cli('commit', String(r.id));
    expect(committed.stdout).toContain('holds 500 at reno to buy in, ready 2026-12-09');
    const handoff = JSON.parse(cli('handoff', '--format', 'json').stdout);
    expect(handoff).toMatchObject([{ id: r.id, location: 'reno', source: 'replenishment', ship_date: '2026-12-09' }]);
    // All 40 on hand are still free.
    expect(check('WIDGET', 40).plan).toMatchObject({ source: 'stock', ship_date: '2026-11-24' });
  });

  it('promise capabilities says what lies beyond stock', () => {
    const { cli } = company();
    expect(cli('capabilities', '--sku', 'WIDGET').stdout).toContain('Beyond stock: 10 workdays from reno (bought in, any quantity).');
  });

  it('replay gives the same answer after the feeds changed; the log keeps each feed once per hash', () => {
    const { home, cli, check, log } = company();
    const before = check('WIDGET', 30);
    check('WIDGET', 31);
    writeFileSync(join(home, 'stock.csv'), 'sku,location,on_hand\nWIDGET,reno,0\nGADGET,reno,10\nBOLT,reno,1000\n');
    // No WIDGET on hand: the 50 arriving on Mon 7 Dec ship after a day of handling.
    const after = check('WIDGET', 30);
    expect(after.plan.ship_date).toBe('2026-12-08');
    expect(after.capabilities_sha256).not.toBe(before.capabilities_sha256);
    const replayed = JSON.parse(cli('replay', String(before.id), '--json').stdout);
    expect(replayed).toMatchObject({ same: true, differences: [], replayed: { verdict: 'feasible' } });
    const db = new Database(log, { readonly: true });
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    // Two versions of the stock feed, one of products and of incoming.
    expect([count('feeds'), count('capabilities')]).toEqual([4, 2]);
    db.close();
  });
});

describe('the index', () => {
  /** Files last changed an hour ago: settled, so the index trusts their size and mtime. */
  const settle = (home: string) => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const f of ['capabilities.yaml', 'products.csv', 'stock.csv', 'incoming.csv']) utimesSync(join(home, f), hourAgo, hourAgo);
  };
  /** The same size, a different count, and the old mtime put back. */
  const sameSizeEdit = (home: string) => {
    const path = join(home, 'stock.csv');
    const { mtime } = statSync(path);
    writeFileSync(path, readFileSync(path, 'utf8').replace('WIDGET,reno,40', 'WIDGET,reno,00'));
    utimesSync(path, mtime, mtime);
  };

  it('a warm check of settled files reads no feed: it trusts size, mtime and inode', () => {
    const { home, check } = company();
    settle(home);
    expect(check('WIDGET', 30).plan.ship_date).toBe('2026-11-24');
    sameSizeEdit(home);
    // Documented trade-off: an edit that keeps size, mtime and inode is not seen.
    expect(check('WIDGET', 30).plan.ship_date).toBe('2026-11-24');
  });

  it('a changed feed is hashed again and seen', () => {
    const { home, check } = company();
    settle(home);
    const first = check('WIDGET', 30);
    writeFileSync(join(home, 'stock.csv'), 'sku,location,on_hand\nWIDGET,reno,0\n');
    const second = check('WIDGET', 30);
    expect(second.plan.ship_date).toBe('2026-12-08');
    expect(second.capabilities_sha256).not.toBe(first.capabilities_sha256);
  });

  it('a file changed within seconds of being hashed is hashed again, even with its old mtime', () => {
    const { home, check } = company();
    expect(check('WIDGET', 30).plan.ship_date).toBe('2026-11-24');
    sameSizeEdit(home);
    expect(check('WIDGET', 30).plan.ship_date).toBe('2026-12-08');
  });
});

describe('validate with feeds', () => {
  const broken = () => {
    const c = company();
    cpSync(fixture('feeds/mistakes/stock.unknown-location.csv'), join(c.home, 'stock.csv'));
    return c;
  };

  it('text: FEED:LINE:COL, exit 2', () => {
    const { file, env } = broken();
    const r = runCli(['validate', file, ...NOW], { env });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'stock.csv:2:8: unknown location "ren" (did you mean reno?)\n' });
  });

  it('json and github name the feed', () => {
    const { file, env, home } = broken();
    const json = JSON.parse(runCli(['validate', file, '--format', 'json', ...NOW], { env }).stdout);
    expect(json).toEqual({
      valid: false,
      problems: [{ file: 'stock.csv', path: '', line: 2, column: 8, message: 'unknown location "ren" (did you mean reno?)', severity: 'error' }],
    });
    const github = runCli(['validate', 'capabilities.yaml', '--format', 'github', ...NOW], { env, cwd: home }).stdout;
    expect(github).toBe('::error file=stock.csv,line=2,col=8::unknown location "ren" (did you mean reno?)\n');
  });

  it('an unknown column warns, and fails with --strict', () => {
    const { file, env, home } = company();
    cpSync(fixture('feeds/mistakes/stock.unknown-column.csv'), join(home, 'stock.csv'));
    expect(runCli(['validate', file, ...NOW], { env }).code).toBe(0);
    expect(runCli(['validate', file, '--strict', ...NOW], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('stock.csv:1:28: unknown column'), // failing: an error, not a warning
    });
  });
});

describe('check --input CSV is read like the feeds', () => {
  it('quoted line breaks and `;`: line numbers count every line', () => {
    const { home, cli } = company();
    const input = join(home, 'promises.csv');
    writeFileSync(input, '\ufeffsku;qty;to;by;customer\r\nWIDGET;30;CA;2026-12-31;"ACME;\r\nwest"\r\nWIDGT;1;CA;2026-12-31;\r\n');
    const lines = cli('check', '--input', input, '--json', '--no-log')
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.line, l.verdict ?? l.error])).toEqual([
      [2, 'feasible'],
      [4, 'infeasible'],
    ]);
  });
});
