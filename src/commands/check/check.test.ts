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
