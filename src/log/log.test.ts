// The log's behaviour, one suite run against both implementations: a real
// SQLite file in a temp dir and a real PostgreSQL database (a server started by
// the tests themselves). Every command goes through the Log interface, so the
// commands themselves are what is run, in process.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SPEC_EXAMPLE, tempDir } from '../../test/helpers/cli.js';
import { inProcess, type Ran } from '../../test/helpers/io.js';
import { loggedCompany, NOW } from '../../test/helpers/logged.js';
import { adminSql, freshDatabase } from '../../test/helpers/teamLog.js';
import { runCapabilities } from '../commands/capabilities/capabilities.js';
import { runCheck } from '../commands/check/check.js';
import { runHandoff } from '../commands/handoff/handoff.js';
import { runLogCopy } from '../commands/log/copy/copyLog.js';
import { runLogHead } from '../commands/log/head/head.js';
import { runLog } from '../commands/log/listChecks.js';
import { runLogVerify } from '../commands/log/verify/verify.js';
import { runOutcome } from '../commands/outcome/outcome.js';
import { runRecheck } from '../commands/recheck/recheck.js';
import { runRelease } from '../commands/release/release.js';
import { runReplay } from '../commands/replay/replay.js';
import { runStats } from '../commands/stats/stats.js';
import { runTokenAdd, runTokenList, runTokenRevoke, tokenHash } from '../commands/token/token.js';
import { CHAINED_COLUMNS, chainRows, GENESIS } from './chain.js';
import { type CheckRow, closeLogs, openLog } from './log.js';

const dir = tempDir();
afterEach(() => closeLogs());

interface Backend {
  name: string;
  target(name: string): Promise<string>;
  /** Runs SQL as the database's owner, around the log's own guards (to tamper, as an attacker with the file would). */
  tamper(target: string, sql: string): Promise<void>;
}

const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    target: async (name) => join(dir, `${name}.db`),
    tamper: async (file, sql) => {
      const db = new Database(file);
      db.exec(sql);
      db.close();
    },
  },
  {
    name: 'PostgreSQL',
    target: () => freshDatabase(),
    tamper: async (url, sql) => {
      const admin = adminSql(url);
      // The superuser may switch the append-only triggers off: the chain still tells.
      await admin.unsafe(`SET session_replication_role = replica; ${sql}`);
      await admin.end();
    },
  },
];

/** How the log names itself in messages: never with its password. */
const shown = (target: string) => target.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1@');

/** One scenario through every command; the outputs, with the log's name made neutral. */
async function scenario(backend: Backend, name: string): Promise<string[]> {
  const log = await backend.target(name);
  const company = loggedCompany(dir, `${backend.name}-${name}`, log);
  const { check, commit, capabilities } = company;
  const outputs: Ran[] = [];
  const run = async (r: Promise<Ran> | Ran) => {
    const done = await r;
    outputs.push(done);
    return done;
  };
  const a = await check(100, { customer: 'ACME', rep: 'anna' });
  const b = await check(100, { rep: 'ben' });
  await check(500, { rep: 'ben', customer: 'Globex' });
  await run(commit(a.id));
  await run(commit(b.id)); // refused: berlin has only 20 left
  const c = await check(30, { rep: 'anna' });
  await run(commit(c.id));
  await run(inProcess((io) => runOutcome(String(a.id), { log, now: NOW, met: true }, io)));
  await run(inProcess((io) => runRelease(String(c.id), { log, now: NOW }, io)));
  await run(inProcess((io) => runCheck({ capabilities, log, now: NOW, input: false, sku: 'PUMP-100', qty: '60', to: 'DE', by: '2026-12-04' }, io)));
  const batch = join(dir, `${backend.name}-${name}.ndjson`);
  writeFileSync(
    batch,
    `${['{"sku":"SEAL-KIT","qty":1500,"to":"DE","by":"2026-12-18"}', '{"sku":"SEAL-KIT","qty":600,"to":"DE","by":"2026-12-18"}'].join('\n')}\n`,
  );
  await run(inProcess((io) => runCheck({ capabilities, log, now: NOW, input: batch, commit: true, json: true }, io)));
  await run(inProcess((io) => runCheck({ capabilities, log, now: NOW, input: batch }, io)));
  for (const opts of [{}, { json: true }, { csv: true }, { status: 'checked' }]) {
    const r = await run(inProcess((io) => runLog({ log, limit: '1000', ...opts }, io)));
    expect(r.code).toBe(0);
  }
  await run(inProcess((io) => runStats({ log }, io)));
  await run(inProcess((io) => runStats({ log, json: true }, io)));
  await run(inProcess((io) => runReplay(String(c.id), { log }, io)));
  await run(inProcess((io) => runRecheck({ log, capabilities, now: NOW }, io)));
  await run(inProcess((io) => runLogVerify({ log }, io)));
  // The ICS feed reads the commitments' events (openCommitmentEvents): SEQUENCE alike on both.
  const ics = await run(inProcess((io) => runHandoff({ log, now: NOW, format: 'ics' }, io)));
  expect(ics.stdout).toContain('SEQUENCE:0');
  await run(inProcess((io) => runCapabilities({ log, capabilities, now: NOW, format: 'text', qty: '10', sku: 'PUMP-100' }, io)));
  // Times of recording (and so the hashes that cover them) differ from run to run; names of logs from backend to backend.
  return outputs.map((r) =>
    `${r.code}\n${r.stdout}${r.stderr}`
      .replaceAll(shown(log), 'LOG')
      .replaceAll(capabilities, 'CAPABILITIES')
      .replace(/"recorded_at":"[^"]+"|"at":"[^"]+"|\d{4}-\d\d-\d\d \d\d:\d\d/g, 'TIME')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, 'TIME')
      .replace(/"(prev_)?hash":"[0-9a-f]{64}"/g, 'HASH')
      .replace(/\d{8}T\d{6}Z/g, 'TIME')
      .replace(/UID:promise-[0-9a-f]{24}/g, 'UID'),
  );
}

describe.each(BACKENDS)('the log on $name', (backend) => {
  it('commitments hold stock; two commits that together exceed ATP cannot both succeed', async () => {
    const { check, commit } = loggedCompany(dir, `${backend.name}-hold`, await backend.target('hold'));
    const [a, b] = [await check(100), await check(100)];
    expect((await commit(a.id)).code).toBe(0);
    const refused = await commit(b.id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('berlin has only 20 PUMP-100 available to promise on 2026-11-24, 100 needed');
    expect((await check(30)).verdict).toBe('feasible'); // from rotterdam
  });

  it('--no-log reads the log and writes nothing', async () => {
    const log = await backend.target('nolog');
    const { check, commit, capabilities } = loggedCompany(dir, `${backend.name}-nolog`, log);
    await commit((await check(120)).id);
    await commit((await check(40)).id);
    const r = await inProcess(
      (io) => runCheck({ capabilities, log: false, now: NOW, input: false, json: true, sku: 'PUMP-100', qty: '1', to: 'DE', by: '2026-11-30' }, io),
      { PROMISE_LOG: log },
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ id: null, verdict: 'infeasible' });
    const list = await inProcess((io) => runLog({ log, limit: '1000', json: true }, io));
    expect(JSON.parse(list.stdout)).toHaveLength(2);
  });

  it('verify names an edited check, a deleted event and an edited hold', async () => {
    const log = await backend.target('verify');
    const { check, commit } = loggedCompany(dir, `${backend.name}-verify`, log);
    const held = await check(100);
    await check(5);
    await commit(held.id);
    const verify = () => inProcess((io) => runLogVerify({ log }, io));
    expect((await verify()).code).toBe(0);
    await backend.tamper(log, `UPDATE checks SET qty = 1000 WHERE id = 2; UPDATE holds SET qty = 1 WHERE check_id = ${held.id}`);
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${shown(log)}: checks row 2 was edited after it was recorded`);
    expect(r.stdout).toContain(`${shown(log)}: holds rows of check ${held.id} hold 1 PUMP-100`);
    await backend.tamper(log, 'DELETE FROM events WHERE id = 1');
    expect((await verify()).stdout).toContain(`${shown(log)}: events rows 1..1 are missing (deleted at the end)`);
  });

  it('tokens: the secret is printed once, only its hash is kept, a revoked one opens nothing', async () => {
    const log = await backend.target('tokens');
    const added = await inProcess((io) => runTokenAdd('ana', { log, scope: 'commit', json: true }, io));
    const { id, token } = JSON.parse(added.stdout) as { id: number; token: string };
    expect(token).toMatch(/^prm_[A-Za-z0-9_-]{43}$/);
    const opened = await openLog(log);
    expect(await opened.tokenByHash(tokenHash(token))).toMatchObject({ id, rep: 'ana', scope: 'commit', revoked_at: null });
    expect(JSON.stringify(await opened.listTokens())).not.toContain(token);
    expect((await inProcess((io) => runTokenRevoke(String(id), { log }, io))).code).toBe(0);
    expect(await opened.tokenByHash(tokenHash(token))).toBeUndefined();
    expect((await inProcess((io) => runTokenRevoke(String(id), { log }, io))).stderr).toContain(`no live token ${id}`);
    expect((await inProcess((io) => runTokenList({ log }, io))).stdout).toMatch(/ {3}1 {2}commit {2}ana {2}created .* revoked /);
    expect((await inProcess((io) => runTokenAdd('ana', { log, scope: 'admin' }, io))).stderr).toContain('--scope must be one of read, check, commit');
  });
});

describe.each(BACKENDS)('tamper evidence a copy cannot launder, on $name', (backend) => {
  it('verify checks every kept capabilities text against its hash; log copy refuses a log that does not verify', async () => {
    const log = await backend.target('texts');
    const { check } = loggedCompany(dir, `${backend.name}-texts`, log);
    await check(1);
    expect((await inProcess((io) => runLogVerify({ log }, io))).code).toBe(0);
    // The text replay trusts, edited: the chain alone would not tell.
    await backend.tamper(log, "UPDATE capabilities SET content = replace(content, 'on_hand: 120', 'on_hand: 999')");
    const edited = await inProcess((io) => runLogVerify({ log }, io));
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(/: capabilities text kept as [0-9a-f]{12} was edited \(it hashes to [0-9a-f]{12}\)\n/);
    const target = join(dir, `${backend.name}-laundered.db`);
    const copied = await inProcess((io) => runLogCopy({ log, to: target }, io));
    expect(copied.code).toBe(1);
    expect(copied.stderr).toMatch(/does not verify \(1 problem\(s\), first: capabilities text kept as/);
    expect(existsSync(target)).toBe(false);
  });

  it('log head publishes the chains; verify --head catches a chain rewritten and re-hashed from the start', async () => {
    const log = await backend.target('rehash');
    const { check } = loggedCompany(dir, `${backend.name}-rehash`, log);
    await check(100);
    await check(5);
    const head = (await inProcess((io) => runLogHead({ log }, io))).stdout.trim();
    expect(head).toMatch(/^checks@2:[0-9a-f]{64},events@0:0{64}$/);
    expect((await inProcess((io) => runLogVerify({ log, head }, io))).code).toBe(0);
    // An owner edits check 1 and re-hashes every row after it, and the head: the chain verifies again.
    const opened = await openLog(log);
    const rows: Record<string, unknown>[] = [];
    for await (const page of opened.pages('checks', 100)) rows.push(...page.map((r) => (r.id === 1 ? { ...r, qty: 1 } : r)));
    await opened.close();
    const { values, head: rehashed } = chainRows('checks', { lastId: 0, hash: GENESIS }, rows);
    const at = (name: string) => CHAINED_COLUMNS.checks.indexOf(name);
    await backend.tamper(
      log,
      [
        ...values.map((v) => `UPDATE checks SET qty = ${v[at('qty')]}, prev_hash = '${v[at('prev_hash')]}', hash = '${v[v.length - 1]}' WHERE id = ${v[0]}`),
        `UPDATE chain_heads SET hash = '${rehashed.hash}' WHERE tbl = 'checks'`,
      ].join(';\n'),
    );
    expect((await inProcess((io) => runLogVerify({ log }, io))).code).toBe(0);
    const proved = await inProcess((io) => runLogVerify({ log, head }, io));
    expect(proved.code).toBe(1);
    expect(proved.stdout).toContain(`${shown(log)}: checks row 2 no longer has the published head's hash: the chain was rewritten\n`);
    expect((await inProcess((io) => runLogVerify({ log, head: 'checks@2:abc' }, io))).code).toBe(2);
  });
});

it('every command prints the same on SQLite and on PostgreSQL, byte for byte', async () => {
  const [sqlite, pg] = [await scenario(BACKENDS[0]!, 'same'), await scenario(BACKENDS[1]!, 'same')];
  expect(pg).toEqual(sqlite);
  expect(sqlite.length).toBeGreaterThan(10);
});

it('the capabilities text a check used is kept once per content', async () => {
  const log = await BACKENDS[1]!.target('caps');
  const { check, capabilities } = loggedCompany(dir, 'pg-caps', log);
  await check(1);
  await check(2);
  writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 121'));
  await check(3);
  const admin = adminSql(log);
  const [row] = await admin`SELECT COUNT(*)::int AS n FROM capabilities`;
  await admin.end();
  expect(row).toEqual({ n: 2 });
});

describe('promise log copy', () => {
  const copy = (log: string, to: string, append = false) => inProcess((io) => runLogCopy({ log, to, append, capabilities: SPEC_EXAMPLE, now: NOW }, io));

  it('SQLite to PostgreSQL to SQLite: every check and event, in order, and the target verifies', async () => {
    const file = join(dir, 'copy-from.db');
    const { check, commit } = loggedCompany(dir, 'copy-from', file);
    const held = await check(100, { customer: 'ACME' });
    await commit(held.id);
    await check(5);
    const url = await freshDatabase();
    const there = await copy(file, url);
    expect(there.code).toBe(0);
    expect(there.stdout).toBe(
      `Copied 2 checks and 1 events from ${file} to ${shown(url)}\n${shown(url)}: ok (hash chain, commitments, kept texts and integrity intact)\n`,
    );
    // The copy holds stock there as here.
    const pg = loggedCompany(dir, 'copy-pg', url);
    expect((await pg.check(30)).verdict).toBe('feasible');
    const back = join(dir, 'copy-back.db');
    expect((await copy(url, back)).code).toBe(0);
    const list = async (log: string) =>
      JSON.parse((await inProcess((io) => runLog({ log, limit: '1000', json: true }, io))).stdout).map((r: CheckRow) => [r.id, r.customer, r.qty, r.status]);
    expect(await list(back)).toEqual(await list(url));
    expect(await list(back)).toEqual([
      [3, null, 30, 'checked'],
      [2, null, 5, 'checked'],
      [1, 'ACME', 100, 'open'],
    ]);
  });

  it('into a log with checks: refused without --append; with it, new ids after the ones there', async () => {
    const a = join(dir, 'append-a.db');
    const b = join(dir, 'append-b.db');
    const first = loggedCompany(dir, 'append-a', a);
    await first.commit((await first.check(10)).id);
    const second = loggedCompany(dir, 'append-b', b);
    await second.check(1);
    expect(await copy(a, b)).toMatchObject({ code: 2, stderr: `promise: ${b} already holds 1 check(s): copy with --append to add these after them\n` });
    const appended = await copy(a, b, true);
    expect(appended.code).toBe(0);
    expect(appended.stdout).toContain('  check 1 is now 2\n');
    // The commitment came along and holds stock in b: 10 held of berlin's 120.
    expect((await second.check(111, { from: 'berlin' })).verdict).toBe('infeasible');
  });

  it('--append re-checks each open commitment it brings against the target: one that no longer fits arrives broken, holding nothing (exit 1)', async () => {
    const mine = loggedCompany(dir, 'broken-from');
    expect((await mine.commit((await mine.check(100, { from: 'berlin' })).id)).code).toBe(0);
    expect((await mine.commit((await mine.check(10, { from: 'rotterdam' })).id)).code).toBe(0);
    const url = await freshDatabase();
    const team = loggedCompany(dir, 'broken-team', url);
    expect((await team.commit((await team.check(100, { from: 'berlin' })).id)).code).toBe(0);
    const r = await copy(mine.log, url, true);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  check 2 arrives broken, holding nothing: berlin has only 20 PUMP-100 available to promise on 2026-11-24, 100 needed');
    expect(r.stdout).not.toContain('check 3 arrives broken');
    expect(r.stdout).toContain(': ok (hash chain, commitments, kept texts and integrity intact)');
    // Never the same units twice: berlin holds the team's 100 only; rotterdam the 10 that still fit.
    const admin = adminSql(url);
    const held = await admin`SELECT location, SUM(qty)::int AS qty FROM holds GROUP BY location ORDER BY location`;
    await admin.end();
    expect(held.map((h) => [h.location, h.qty])).toEqual([
      ['berlin', 100],
      ['rotterdam', 10],
    ]);
  });

  it('deliveries against their plans come along (calibrate and evidence read them), read and written a page at a time', async () => {
    const from = join(dir, 'delivered-from.db');
    const { check, commit } = loggedCompany(dir, 'delivered-from', from);
    // More checks than a page holds, so the copy crosses pages (berlin's 2,000 seal kits commit 2,000 of them).
    const batch = join(dir, 'delivered.ndjson');
    writeFileSync(batch, `${Array.from({ length: 5003 }, () => '{"sku":"SEAL-KIT","qty":1,"to":"DE","by":"2026-12-18"}').join('\n')}\n`);
    const company = loggedCompany(dir, 'delivered-from', from);
    await inProcess((io) => runCheck({ capabilities: company.capabilities, log: from, now: NOW, input: batch, commit: true, json: true }, io));
    const held = await check(10);
    await commit(held.id);
    const source = await openLog(from);
    const delivered = { check_id: held.id, delivered_on: '2026-11-26', factor: 'lane', key: 'berlin express DE', declared: 1, late: 1 };
    await source.write((tx) => tx.recordDelivered(delivered));
    const url = await freshDatabase();
    const copied = await inProcess((io) => runLogCopy({ log: from, to: url, json: true }, io));
    expect(JSON.parse(copied.stdout)).toMatchObject({ checks: 5004, events: 2001, verified: true, check_offset: 0 });
    const target = await openLog(url);
    expect(await target.lateness()).toEqual(await source.lateness());
    expect(await target.lateness()).toEqual([{ factor: 'lane', key: 'berlin express DE', took: 2, n: 1 }]);
  });
});

it('--no-log on a log an older release wrote (schema 1): brought up to date, then only read', async () => {
  const file = join(dir, 'old.db');
  const old = new Database(file);
  const { MIGRATIONS } = await import('./migrations.js');
  old.exec(MIGRATIONS[0]!('sqlite')); // what release 0.1 created
  old.pragma('user_version = 1');
  old.close();
  const capabilities = loggedCompany(dir, 'old').capabilities;
  const r = await inProcess(
    (io) => runCheck({ capabilities, log: false, now: NOW, input: false, json: true, sku: 'PUMP-100', qty: '1', to: 'DE', by: '2026-11-30' }, io),
    { PROMISE_LOG: file },
  );
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toMatchObject({ id: null, verdict: 'feasible' });
  const after = new Database(file, { readonly: true });
  expect(after.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  expect(after.prepare('SELECT COUNT(*) AS n FROM checks').get()).toEqual({ n: 0 });
  after.close();
});

it('SCHEMA_VERSION is the number of migrations (a check whose log is up to date loads none of them)', async () => {
  const { MIGRATIONS, SCHEMA_VERSION } = await import('./migrations.js');
  expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
});
