// Flags that said one thing and did another (issue 22): --json on commands that
// have --format (removed: one way to do each thing), and --no-log with --log FILE
// (together they recorded the check: now --no-log wins in any order, and FILE is
// the log whose commitments are read).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SPEC_EXAMPLE, tempDir } from './helpers/cli.js';

const dir = tempDir();
const CHECK = ['check', '--sku', 'PUMP-100', '--qty', '5', '--to', 'DE', '--by', '2026-12-04', '--now', '2026-11-23T10:00', '--capabilities', SPEC_EXAMPLE];

describe('--json where --format says it', () => {
  it.each(['validate', 'handoff', 'report'])('%s: not in --help, refused if given', (command) => {
    const help = runCli([command, '--help']).stdout;
    expect(help).not.toContain('--json');
    const r = runCli([command, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--json'");
  });

  it('commands without --format keep --json', () => {
    expect(runCli(['check', '--help']).stdout).toContain('--json');
    expect(runCli(['log', '--help']).stdout).toContain('--json');
  });
});

describe('--no-log with --log FILE', () => {
  const rows = (log: string) => JSON.parse(runCli(['log', '--log', log, '--json']).stdout).length;

  it.each(['--no-log first', '--log first'])('%s: nothing recorded, nothing created', (order) => {
    const log = join(dir, `${order.replace(/\W/g, '')}.db`);
    const args = order === '--log first' ? [...CHECK, '--log', log, '--no-log'] : [...CHECK, '--no-log', '--log', log];
    expect(runCli(args).code).toBe(0);
    expect(existsSync(log)).toBe(false);
  });

  it('FILE is read for its commitments, never written', () => {
    const log = join(dir, 'held.db');
    const made = JSON.parse(runCli([...CHECK.map((a) => (a === '5' ? '100' : a)), '--log', log, '--json']).stdout);
    expect(runCli(['commit', String(made.id), '--log', log]).code).toBe(0);
    expect(rows(log)).toBe(1);
    // berlin's 120 are now held: the same check again, not recorded, must see that.
    const again = runCli([...CHECK.map((a) => (a === '5' ? '100' : a)), '--no-log', '--log', log, '--json']);
    expect(JSON.parse(again.stdout).plan?.from).not.toBe(made.plan.from);
    expect(JSON.parse(again.stdout).id).toBeNull();
    expect(rows(log)).toBe(1);
  });

  it('--no-log with $PROMISE_LOG is fine: the log is read, not written', () => {
    const log = join(dir, 'env.db');
    expect(runCli([...CHECK, '--no-log'], { env: { PROMISE_LOG: log } }).code).toBe(0);
    expect(existsSync(log)).toBe(false);
  });
});
