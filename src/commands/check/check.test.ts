// promise check, run in process: what a rep and a script see at the edges.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixture, SPEC_EXAMPLE, tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import type { Io } from '../../cli/io.js';
import { runCapabilities } from '../capabilities/capabilities.js';
import { runCommit } from '../commit/commit.js';
import { runLog } from '../log/listChecks.js';
import { runRecheck } from '../recheck/recheck.js';
import { runReplay } from '../replay/replay.js';
import { type CheckOptions, runCheck } from './check.js';

const dir = tempDir();
const base: CheckOptions = { capabilities: SPEC_EXAMPLE, now: '2026-11-23T10:00', input: false };
const check = (opts: Partial<CheckOptions>, env: NodeJS.ProcessEnv = {}) => inProcess((io: Io) => runCheck({ ...base, ...opts }, io), env);
const pumps = (qty: number, extra: Partial<CheckOptions> = {}) => ({ sku: 'PUMP-100', qty: String(qty), to: 'DE', by: '2026-12-04', ...extra });
const rows = (log: string) => {
  const db = new Database(log, { readonly: true });
  const n = (db.prepare('SELECT COUNT(*) AS n FROM checks').get() as { n: number }).n;
  db.close();
  return n;
};

describe('--no-log: record nothing, but respect what the log holds', () => {
  const log = join(dir, 'held.db');
  it('a commitment in the log holds stock for a check that records nothing', async () => {
    // berlin 120 + rotterdam 40: commit 120 at berlin, then 40 more leave nothing for a third.
    const first = JSON.parse((await check({ ...pumps(120), log, json: true })).stdout);
    expect((await inProcess((io) => runCommit(String(first.id), { log, now: base.now }, io))).code).toBe(0);
    const second = JSON.parse((await check({ ...pumps(40), log, json: true })).stdout);
    expect((await inProcess((io) => runCommit(String(second.id), { log, now: base.now }, io))).code).toBe(0);
    const before = rows(log);

    const flag = await check({ ...pumps(30, { by: '2026-11-30' }), log: false, json: true }, { PROMISE_LOG: log });
    expect(flag.code).toBe(1);
    expect(JSON.parse(flag.stdout)).toMatchObject({ id: null, verdict: 'infeasible' });
    const explicit = await check({ ...pumps(30, { by: '2026-11-30' }), json: true, log: false }, { PROMISE_LOG: log });
    expect(explicit.code).toBe(1);
    expect(rows(log)).toBe(before); // nothing recorded

    const sheet = await inProcess((io) => runCapabilities({ ...base, log: false, format: 'text', qty: '1', sku: 'PUMP-100' }, io), { PROMISE_LOG: log });
    expect(sheet.stdout).toContain('Nothing in stock that is free to promise.');
  });

  it('--no-log without any log yet checks against no commitments and creates nothing', async () => {
    const none = join(dir, 'never', 'log.db');
    const r = await check({ ...pumps(30), log: false, json: true }, { PROMISE_LOG: none });
    expect(r.code).toBe(0);
    expect(() => rows(none)).toThrow();
  });
});

describe('fields as reps type them', () => {
  it('region codes match ignoring case, and are recorded as the capabilities spell them', async () => {
    const r = await check({ ...pumps(5, { to: 'de' }), log: false, json: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).promise.to).toBe('DE');
  });

  it.each([
    ['0x10', 'qty must be a whole number'],
    ['1e3', 'qty must be a whole number'],
    ['99999999999', 'qty must be at most 1,000,000,000'],
  ])('--qty %s is refused: %s', async (qty, message) => {
    const r = await check({ ...pumps(1), qty, log: false });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: `promise: ${message}\n` });
  });

  it('a service promise at a 24x7 service is described around the clock, not in business hours', async () => {
    const r = await check({ service: 'phone-support', region: 'FR', responseHours: '2', hours: '24x7', log: false });
    expect(r.stdout).toContain('responds within 1 hour, around the clock');
    expect(r.stdout).not.toContain('business hours');
  });
});

describe('input shown on a terminal is escaped', () => {
  it('ANSI escapes and bidi overrides in a sku are shown as \\u{…}, never obeyed', async () => {
    const r = await check({ ...pumps(5, { sku: 'PUMP\u001b[31m-100\u202e' }), log: false });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(r.stdout).toContain('PUMP\\u{1B}[31m-100\\u{202E}');
  });
});

describe('batch input: nothing silently dropped', () => {
  it('an unknown NDJSON field is a bad line with a suggestion; the rest are checked; exit 2', async () => {
    const file = join(dir, 'typo.ndjson');
    writeFileSync(file, '{"sku":"PUMP-100","qty":5,"to":"DE","by":"2026-12-04","mehtod":"express"}\n{"sku":"PUMP-100","qty":5,"to":"DE","by":"2026-12-04"}\n');
    const r = await check({ input: file, log: false, json: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}:1: unknown field "mehtod" (did you mean "method"?)\n`);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown CSV column fails the whole file at line 1, before any check', async () => {
    const file = join(dir, 'typo.csv');
    writeFileSync(file, 'sku,qty,to,by,form\nPUMP-100,5,DE,2026-12-04,berlin\n');
    const r = await check({ input: file, log: false, json: true });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: `promise: ${file}:1: unknown column "form" (did you mean "from"?)\n` });
  });

  it('--input naming a directory: one line, exit 2', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const r = await check({ input: folder, log: false });
    expect(r).toMatchObject({ code: 2, stderr: `promise: --input ${folder}: is a directory, not a file of promises\n` });
  });
});

describe('the capabilities file in use', () => {
  it('a company other than the shipped one: the check records its absolute path', async () => {
    const log = join(dir, 'syd.db');
    const r = await check({
      capabilities: fixture('companies/sydney.yaml'),
      sku: 'GASKET',
      qty: '5',
      to: 'nsw',
      by: '2026-10-22',
      now: '2026-10-12T09:00',
      log,
      json: true,
    });
    expect(r.code).toBe(0);
    const db = new Database(log, { readonly: true });
    expect(db.prepare('SELECT capabilities_path FROM checks').get()).toEqual({ capabilities_path: fixture('companies/sydney.yaml') });
    db.close();
  });
});

describe('orders on the command line and in batches (ORDERS.md)', () => {
  const newark = { capabilities: fixture('companies/newark.yaml'), now: '2026-11-23T09:00', input: false as const };
  it('--line SKU:QTY (repeated): one check, the order’s date first, then one line per order line', async () => {
    const r = await check({ ...newark, line: ['PUMP:60', 'PUMP:50'], to: 'NJ', by: '2026-12-04', log: false });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '✔ FEASIBLE  order of 60 × PUMP, 50 × PUMP to NJ by 2026-12-04\n  Plan: every line there by 2026-12-01 (3 spare workdays)\n   1. 60 × PUMP: ships from newark by truck',
    );
    expect(r.stdout).toContain('   2. 50 × PUMP: ships from reno by freight on 2026-11-24, arrives 2026-12-01');
    expect(r.stdout).toContain('line 2 stock:');
    const json = JSON.parse((await check({ ...newark, line: ['PUMP:60', 'PUMP:50'], to: 'NJ', by: '2026-12-04', log: false, json: true })).stdout);
    expect(json.promise).toEqual({
      kind: 'order',
      lines: [
        { sku: 'PUMP', qty: 60 },
        { sku: 'PUMP', qty: 50 },
      ],
      to: 'NJ',
      by: '2026-12-04',
    });
    expect(json.plan).toMatchObject({ delivery_date: '2026-12-01', spare_days: 3 });
    expect(json.plan.lines).toHaveLength(2);
  });

  it('bad lines: one clear line, exit 2', async () => {
    expect((await check({ ...newark, line: ['PUMP'], to: 'NJ', by: '2026-12-04', log: false })).stderr).toBe(
      'promise: --line: "PUMP" must be SKU:QTY (e.g. PUMP-100:50)\n',
    );
    expect((await check({ ...newark, line: ['PUMP:0x10'], to: 'NJ', by: '2026-12-04', log: false })).stderr).toBe(
      'promise: line 1: qty must be a whole number\n',
    );
    expect((await check({ ...newark, line: ['PUMP:5'], sku: 'PUMP', to: 'NJ', by: '2026-12-04', log: false })).code).toBe(2);
  });

  it('a batch: NDJSON items with lines, and CSV rows grouped by an order column', async () => {
    const ndjson = join(dir, 'orders.ndjson');
    writeFileSync(
      ndjson,
      `${JSON.stringify({
        lines: [
          { sku: 'PUMP', qty: 60 },
          { sku: 'PUMP', qty: 50 },
        ],
        to: 'NJ',
        by: '2026-12-04',
      })}\n`,
    );
    const a = JSON.parse((await check({ ...newark, input: ndjson, log: false, json: true })).stdout);
    const csv = join(dir, 'orders.csv');
    writeFileSync(
      csv,
      'order,sku,qty,to,by\nA-1,PUMP,60,NJ,2026-12-04\nA-1,PUMP,50,NJ,2026-12-04\n,SEAL,5,NJ,2026-12-04\nB-2,SEAL,1,NJ,2026-12-04\nB-2,SEAL,1,NY,2026-12-04\n',
    );
    const c = await check({ ...newark, input: csv, log: false, json: true });
    expect(c.stderr).toBe(`${csv}:5: order "B-2": its rows must share to\n`);
    const [order, single] = c.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(order).toMatchObject({
      line: 2,
      promise: {
        kind: 'order',
        lines: [
          { sku: 'PUMP', qty: 60 },
          { sku: 'PUMP', qty: 50 },
        ],
      },
      plan: a.plan,
    });
    expect(single).toMatchObject({ line: 4, promise: { kind: 'delivery', sku: 'SEAL' } });
  });

  it('committing an order holds every line; recheck, log and replay take orders', async () => {
    const log = join(dir, 'orders.db');
    const made = JSON.parse((await check({ ...newark, line: ['PUMP:60', 'SEAL:50'], to: 'NJ', by: '2026-12-04', log, json: true })).stdout);
    const committed = await inProcess((io) => runCommit(String(made.id), { log, now: newark.now }, io));
    expect(committed.stdout).toContain('holds 60 at newark shipping 2026-11-24, 50 at newark shipping 2026-11-24');
    // Only 10 SEAL and 10 unprotected PUMP are left at newark.
    const after = JSON.parse((await check({ ...newark, line: ['PUMP:11', 'SEAL:11'], to: 'NJ', by: '2026-11-25', log, json: true })).stdout);
    expect(after.verdict).toBe('infeasible');
    const recheck = await inProcess((io) => runRecheck({ log, capabilities: newark.capabilities, now: newark.now }, io));
    expect(recheck).toMatchObject({ code: 0, stdout: '1 open commitment(s): 1 hold, 0 hold with a new plan, 0 at risk, 0 broken, 0 overdue\n' });
    expect((await inProcess((io) => runLog({ log, limit: '10' }, io))).stdout).toContain('order of 60 × PUMP, 50 × SEAL to NJ by 2026-12-04');
    expect((await inProcess((io) => runReplay(String(after.id), { log }, io))).stdout).toMatch(/replays the same: infeasible/);
  });

  it('--customer applies that customer’s terms; capabilities --customer shows them and what is reserved for whom', async () => {
    const r = JSON.parse(
      (await check({ ...newark, sku: 'PUMP', qty: '80', from: 'newark', to: 'NJ', by: '2026-12-04', customer: 'globex', log: false, json: true })).stdout,
    );
    expect(r).toMatchObject({ verdict: 'feasible', promise: { customer: 'globex' } });
    const sheet = await inProcess((io) => runCapabilities({ ...newark, log: false, format: 'text', qty: '10', sku: 'PUMP', customer: 'globex' }, io));
    expect(sheet.stdout).toContain('what we can promise to globex');
    expect(sheet.stdout).toContain(
      'Terms: globex (Globex Corporation): segment key, receives goods on mon, tue, wed and thu only, takes no partial deliveries.',
    );
    expect(sheet.stdout).toContain('Reserved: 30 at newark for key customers (not counted as free for others).');
    expect(sheet.stdout).toContain('In stock and free to promise: 100 at newark and 60 at reno.');
    const anyone = await inProcess((io) => runCapabilities({ ...newark, log: false, format: 'text', qty: '10', sku: 'PUMP' }, io));
    expect(anyone.stdout).toContain('In stock and free to promise: 70 at newark and 60 at reno.');
  });
});
