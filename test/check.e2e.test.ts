import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, SPEC_EXAMPLE, tempDir } from './helpers/cli.js';

const dir = tempDir();
const NOW = ['--now', '2026-11-23T10:00'];
const spec = ['--capabilities', SPEC_EXAMPLE];
const json = (stdout: string) => JSON.parse(stdout);

describe('promise check (built CLI)', () => {
  it('the SEMANTICS example: 50 pumps to DE, JSON as CLI.md says, logged', () => {
    const log = join(dir, 'a.db');
    const r = runCli(['check', ...spec, '--sku', 'PUMP-100', '--qty', '50', '--to', 'DE', '--by', '2026-12-04', ...NOW, '--json', '--log', log]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(Object.keys(out)).toEqual(['id', 'verdict', 'promise', 'plan', 'reasons', 'alternatives', 'now', 'capabilities_sha256']);
    expect(out).toMatchObject({
      id: 1,
      verdict: 'feasible',
      promise: { kind: 'delivery', sku: 'PUMP-100', qty: 50, to: 'DE', by: '2026-12-04' },
      plan: { from: 'berlin', method: 'express', ship_date: '2026-11-24', delivery_date: '2026-11-25', spare_days: 7 },
      alternatives: [],
      now: '2026-11-23T10:00:00+01:00',
    });
    expect(out.capabilities_sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const reason of out.reasons) expect(Object.keys(reason)).toEqual(expect.arrayContaining(['rule', 'ok', 'message']));
  });

  it('exit codes: 0 feasible, 3 at risk, 1 infeasible, 2 bad input', () => {
    const base = ['check', ...spec, '--sku', 'PUMP-100', '--to', 'DE', ...NOW, '--no-log'];
    expect(runCli([...base, '--qty', '50', '--by', '2026-12-04']).code).toBe(0);
    expect(runCli([...base, '--qty', '50', '--by', '2026-11-25']).code).toBe(3);
    expect(runCli([...base, '--qty', '5000', '--by', '2026-12-04']).code).toBe(1);
    const bad = runCli([...base, '--qty', '-5', '--by', '2026-12-04']);
    expect(bad).toMatchObject({ code: 2, stdout: '', stderr: 'promise: qty must be at least 1\n' });
    expect(runCli([...base, '--qty', '5', '--by', '2026-13-01']).stderr).toContain('by: "2026-13-01" is not a date');
  });

  it('human output reads as sentences with the alternatives', () => {
    const r = runCli(['check', ...spec, '--sku', 'PUMP-100', '--qty', '150', '--to', 'DE', '--by', '2026-11-26', ...NOW, '--no-log']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✘ INFEASIBLE  150 × PUMP-100 to DE by 2026-11-26');
    expect(r.stdout).toContain('What you can promise instead:');
    expect(r.stdout).toContain('1. All 150 PUMP-100 to DE by 2026-12-17');
    expect(r.stdout).toContain('[split]');
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour without a TTY
  });

  it('relative dates a rep types, in the company zone', () => {
    const base = ['check', ...spec, '--sku', 'PUMP-100', '--qty', '5', '--to', 'DE', ...NOW, '--no-log', '--json'];
    expect(json(runCli([...base, '--by', '+10d']).stdout).promise.by).toBe('2026-12-03');
    expect(json(runCli([...base, '--by', '+3w']).stdout).promise.by).toBe('2026-12-14');
    expect(json(runCli([...base, '--by', 'friday']).stdout).promise.by).toBe('2026-11-27');
    expect(json(runCli([...base, '--by', '5 December']).stdout).promise.by).toBe('2026-12-05');
    expect(json(runCli([...base, '--by', 'next friday']).stdout).promise.by).toBe('2026-12-04');
  });

  it('service promise on the CLI', () => {
    const r = runCli([
      'check',
      ...spec,
      '--service',
      'onsite-repair',
      '--region',
      'AT',
      '--response-hours',
      '4',
      '--hours',
      'mon-fri 08:00-18:00',
      ...NOW,
      '--no-log',
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(json(r.stdout).alternatives[0]).toMatchObject({ kind: 'service_level', promise: { response_hours: 9 } });
    const bad = runCli(['check', ...spec, '--service', 'onsite-repair', '--region', 'AT', '--response-hours', '4', '--hours', 'weekdays', ...NOW, '--no-log']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("promise: hours must be '24x7' or a window like 'mon-fri 08:00-18:00'\n");
  });

  it('missing fields without a terminal: exit 2 naming them, never a prompt', () => {
    const r = runCli(['check', ...spec, '--sku', 'PUMP-100', ...NOW, '--no-log']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('promise: missing --qty, --to, --by (and not prompting: no terminal or --no-input)\n');
  });

  it('an invalid capabilities file: exit 2 with file:line:col', () => {
    const file = fixture('invalid/negative-quantity.yaml');
    const r = runCli(['check', '--capabilities', file, '--sku', 'WIDGET', '--qty', '1', '--to', 'DE', '--by', '2026-12-04', '--no-log']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`promise: ${file}:18:24: products[0].stock.main.on_hand: must not be negative\n`);
  });

  it('the README example works on the shipped file with the default log location', () => {
    const home = join(dir, 'home');
    const r = runCli(['check', '--sku', 'PUMP-100', '--qty', '50', '--to', 'DE', '--by', '2026-12-04', ...NOW], { env: { XDG_DATA_HOME: home } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ FEASIBLE');
    expect(r.stdout).toContain('(check #1)');
    expect(runCli(['log', '--json'], { env: { XDG_DATA_HOME: home } }).stdout).toContain('"sku":"PUMP-100"');
  });

  it('a log that cannot be written: exit 4, nothing reported', () => {
    const r = runCli(['check', ...spec, '--sku', 'PUMP-100', '--qty', '5', '--to', 'DE', '--by', '2026-12-04', ...NOW, '--log', '/proc/nope/log.db']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^promise: log \/proc\/nope\/log.db cannot be created.*nothing was recorded\n$/);
  });
});
