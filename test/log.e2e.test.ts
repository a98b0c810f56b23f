// The log through the built CLI: what a rep's shell sees, end to end on real SQLite files.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, SPEC_EXAMPLE, tempDir } from './helpers/cli.js';

const dir = tempDir();
const NOW = ['--now', '2026-11-23T10:00'];

function setup(name: string) {
  const log = join(dir, `${name}.db`);
  const caps = join(dir, `${name}.yaml`);
  copyFileSync(SPEC_EXAMPLE, caps);
  const cli = (...args: string[]) => runCli([...args, '--log', log, '--capabilities', caps, ...NOW]);
  const check = (qty: number, extra: string[] = []) =>
    JSON.parse(cli('check', '--sku', 'PUMP-100', '--qty', String(qty), '--to', 'DE', '--by', '2026-12-04', '--json', ...extra).stdout);
  return { log, caps, cli, check };
}

describe('the promise log', () => {
  it('records every check with the promise, verdict, rep, customer and capabilities content once', () => {
    const { log, check } = setup('record');
    check(10, ['--rep', 'anna', '--customer', 'ACME']);
    check(20, ['--rep', 'ben']);
    const db = new Database(log, { readonly: true });
    const rows = db.prepare('SELECT id, rep, customer, sku, qty, verdict, now, tool_version FROM checks').all();
    expect(rows).toEqual([
      { id: 1, rep: 'anna', customer: 'ACME', sku: 'PUMP-100', qty: 10, verdict: 'feasible', now: '2026-11-23T10:00:00+01:00', tool_version: '0.1.0' },
      { id: 2, rep: 'ben', customer: null, sku: 'PUMP-100', qty: 20, verdict: 'feasible', now: '2026-11-23T10:00:00+01:00', tool_version: '0.1.0' },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM capabilities').get()).toEqual({ n: 1 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('commit holds stock for later checks; release frees it', () => {
    const { cli, check } = setup('commit');
    const first = check(100);
    expect(cli('commit', String(first.id)).code).toBe(0);
    // berlin has 120; 100 are held, so 30 must come from rotterdam (40).
    expect(check(30).plan.from).toBe('rotterdam');
    expect(check(60).verdict).toBe('infeasible');
    expect(cli('release', String(first.id)).code).toBe(0);
    expect(check(60).plan.from).toBe('berlin');
  });

  it('two commits that together exceed ATP: the second is refused with its reason', () => {
    const { cli, check } = setup('race');
    const a = check(100);
    const b = check(100); // checked before a was committed: feasible on its own
    expect(b.verdict).toBe('feasible');
    expect(cli('commit', String(a.id)).code).toBe(0);
    const refused = cli('commit', String(b.id));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cannot commit check 2: berlin has only 20 PUMP-100 available to promise on 2026-11-24, 100 needed');
    expect(cli('log', '--status', 'open', '--json').stdout).toContain('"id":1');
  });

  it('commit --alternative N commits an alternative; an infeasible check without one is refused', () => {
    const { cli, check } = setup('alt');
    const r = check(150, ['--by', '2026-11-26']);
    expect(r.verdict).toBe('infeasible');
    const plain = cli('commit', String(r.id));
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('is infeasible: commit one of its 3 alternative(s) with --alternative N');
    const split = r.alternatives.findIndex((a: { kind: string }) => a.kind === 'split') + 1;
    const ok = cli('commit', String(r.id), '--alternative', String(split), '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).holds).toEqual([
      { location: 'berlin', sku: 'PUMP-100', qty: 120, day: '2026-11-24', source: 'stock' },
      { location: 'rotterdam', sku: 'PUMP-100', qty: 30, day: '2026-11-25', source: 'stock' },
    ]);
    expect(cli('commit', String(r.id)).stderr).toContain('already committed');
  });

  it('log verify detects an edited row and a deleted row, and names them', () => {
    const { log, cli, check } = setup('verify');
    for (let i = 1; i <= 4; i++) check(i);
    expect(cli('log', 'verify').code).toBe(0);
    const db = new Database(log);
    db.prepare("UPDATE checks SET verdict = 'feasible', qty = 1000 WHERE id = 2").run();
    db.close();
    const edited = cli('log', 'verify');
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain('checks row 2 was edited after it was recorded');
    const db2 = new Database(log);
    db2.prepare('DELETE FROM checks WHERE id = 3').run();
    db2.close();
    expect(cli('log', 'verify').stdout).toContain('rows 3..3 are missing (deleted)');
  });
});
