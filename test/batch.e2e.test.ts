import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, SPEC_EXAMPLE, tempDir } from './helpers/cli.js';

const dir = tempDir();
const base = ['check', '--capabilities', SPEC_EXAMPLE, '--now', '2026-11-23T10:00'];
const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('promise check --input', () => {
  it('NDJSON: one JSON result per line, with its input line number', () => {
    const input = [
      '{"sku":"PUMP-100","qty":50,"to":"DE","by":"2026-12-04"}',
      '',
      '{"sku":"PUMP-100","qty":50,"to":"DE","by":"2026-11-25"}',
      '{"service":"phone-support","region":"FR","response_hours":2,"hours":"24x7","customer":"ACME"}',
    ].join('\n');
    const r = runCli([...base, '--input', '-', '--json', '--no-log'], { input });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3); // one at risk, none infeasible
    expect(lines(r.stdout).map((x) => [x.line, x.verdict])).toEqual([
      [1, 'feasible'],
      [3, 'at_risk'],
      [4, 'feasible'],
    ]);
  });

  it('a JSON array and CSV with a header give the same verdicts', () => {
    const promises = [
      { sku: 'PUMP-100', qty: 5, to: 'DE', by: '2026-12-04' },
      { sku: 'PUMP-100', qty: 5000, to: 'DE', by: '2026-12-04' },
    ];
    const arrayFile = join(dir, 'p.json');
    writeFileSync(arrayFile, JSON.stringify(promises, null, 2));
    const csvFile = join(dir, 'p.csv');
    writeFileSync(csvFile, 'sku,qty,to,by,customer\r\nPUMP-100,5,DE,2026-12-04,"Globex, ""Ltd"""\r\nPUMP-100,5000,DE,2026-12-04,\r\n');
    const a = runCli([...base, '--input', arrayFile, '--json', '--no-log']);
    const c = runCli([...base, '--input', csvFile, '--json', '--no-log']);
    expect(a.code).toBe(1);
    expect(c.code).toBe(1);
    expect(lines(a.stdout).map((x) => x.verdict)).toEqual(['feasible', 'infeasible']);
    expect(lines(c.stdout).map((x) => [x.line, x.verdict])).toEqual([
      [2, 'feasible'],
      [3, 'infeasible'],
    ]);
  });

  it('bad lines are reported with their line number, skipped, and the batch exits 2', () => {
    const input = [
      '{"sku":"PUMP-100","qty":5,"to":"DE","by":"2026-12-04"}',
      '{"sku":"PUMP-100","qty":-3,"to":"DE","by":"2026-12-04"}',
      'not json at all',
      '{"sku":"PUMP-100","qty":5,"to":"DE"}',
      '{"sku":"PUMP-100","qty":5,"to":"DE","by":"2026-02-30"}',
      '[1,2]',
      '{"sku":"PUMP-100","qty":5,"to":"DE","by":"2026-12-04"}',
    ].join('\n');
    const r = runCli([...base, '--input', '-', '--no-log'], { input });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      '-:2: qty must be at least 1',
      '-:3: is not valid JSON',
      '-:4: missing by',
      '-:5: by: "2026-02-30" is not a date (use YYYY-MM-DD, today, +10d, +3w, friday, or "5 December")',
      '-:6: is not a JSON object',
    ]);
    expect(r.stdout).toContain('2 checked: 2 feasible, 0 at risk, 0 infeasible; 5 bad lines skipped');
  });

  it('empty input checks nothing and exits 0', () => {
    const r = runCli([...base, '--input', '-', '--no-log'], { input: '' });
    expect(r).toMatchObject({ code: 0, stdout: '0 checked: 0 feasible, 0 at risk, 0 infeasible\n' });
    expect(runCli([...base, '--input', join(dir, 'missing.ndjson'), '--no-log']).stderr).toContain('no such file');
  });

  it('10,000 lines, logged in chunks: every check recorded, hash chain intact', () => {
    const log = join(dir, 'big.db');
    const input = Array.from({ length: 10_000 }, (_, i) =>
      JSON.stringify({ sku: i % 3 ? 'SEAL-KIT' : 'PUMP-100', qty: 1 + (i % 7), to: ['DE', 'AT', 'FR'][i % 3], by: '2026-12-18', customer: `c${i}` }),
    ).join('\n');
    const r = runCli([...base, '--input', '-', '--json', '--log', log], { input });
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toHaveLength(10_000);
    expect(out.at(-1)).toMatchObject({ line: 10_000, id: 10_000 });
    const db = new Database(log, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM checks').get()).toEqual({ n: 10_000 });
    db.close();
    expect(runCli(['log', 'verify', '--log', log]).code).toBe(0);
  });

  it('--commit: each feasible promise holds stock for the lines after it, in order', () => {
    const log = join(dir, 'commit.db');
    // berlin has 120 PUMP-100 before 14 December; rotterdam 40.
    const input = [
      { sku: 'PUMP-100', qty: 100, to: 'DE', by: '2026-12-04', from: 'berlin' },
      { sku: 'PUMP-100', qty: 30, to: 'DE', by: '2026-12-04', from: 'berlin' },
      { sku: 'PUMP-100', qty: 20, to: 'DE', by: '2026-12-04', from: 'berlin' },
      { sku: 'PUMP-100', qty: 1, to: 'DE', by: '2026-12-04', from: 'berlin' },
    ]
      .map((p) => JSON.stringify(p))
      .join('\n');
    const r = runCli([...base, '--input', '-', '--json', '--commit', '--log', log], { input });
    expect(lines(r.stdout).map((x) => x.verdict)).toEqual(['feasible', 'infeasible', 'feasible', 'infeasible']);
    const open = JSON.parse(runCli(['log', '--status', 'open', '--json', '--log', log]).stdout);
    expect(open.map((x: { id: number }) => x.id).sort()).toEqual([1, 3]);
    // Without --commit the lines do not see each other.
    const plain = runCli([...base, '--input', '-', '--json', '--no-log'], { input });
    expect(lines(plain.stdout).map((x) => x.verdict)).toEqual(['feasible', 'feasible', 'feasible', 'feasible']);
  });
});
