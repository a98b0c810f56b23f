// main.ts only lists commands: a test can import it, build the program and reach
// every command's flags, without anything running at import.
import type { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { testIo } from '../../test/helpers/io.js';

const COMMON = ['--capabilities', '--now', '--json'];
const LOGGED = [...COMMON, '--log', '--no-log', '--rep', '--customer', '--no-input'];
/** Commands whose output has --format: no --json beside it (one way to do each thing). */
const withoutJson = (flags: string[]) => flags.filter((f) => f !== '--json');

/** Every command of CLI.md with the flags it must offer. */
const SURFACE: Record<string, string[]> = {
  check: [
    ...LOGGED,
    '--sku',
    '--qty',
    '--to',
    '--by',
    '--method',
    '--from',
    '--line',
    '--service',
    '--region',
    '--response-hours',
    '--hours',
    '--input',
    '--commit',
  ],
  validate: withoutJson([...COMMON, '--format', '--strict']),
  log: [...LOGGED, '--since', '--sku', '--verdict', '--status', '--limit', '--csv'],
  'log verify': [...LOGGED, '--head'],
  'log head': LOGGED,
  'log copy': [...LOGGED, '--to', '--append'],
  'log grant': [...COMMON, '--log', '--rep', '--ops', '--owner', '--apply'],
  commit: [...LOGGED, '--alternative', '--hold-until', '--note', '--ref'],
  confirm: LOGGED,
  release: LOGGED,
  outcome: [...LOGGED, '--input', '--met', '--missed', '--on', '--note'],
  recheck: [...LOGGED, '--notices', '--template'],
  stats: [...LOGGED, '--since', '--csv', '--by', '--constraints'],
  calibrate: [...LOGGED, '--target', '--since', '--min-samples', '--format', '--write', '--check'],
  replay: LOGGED,
  handoff: withoutJson([...LOGGED, '--from', '--since', '--until', '--format']),
  report: withoutJson([...LOGGED, '--html', '--since']),
  capabilities: [...LOGGED, '--format', '--region', '--sku', '--qty'],
  token: [],
  'token add': [...LOGGED, '--scope'],
  'token list': LOGGED,
  'token revoke': LOGGED,
  serve: [...LOGGED, '--host', '--port', '--no-auth', '--rate'],
  mcp: LOGGED,
  schema: [],
  init: ['--force', '--no-input', '--now'],
  completion: [],
};

describe('cli/main', () => {
  it('runs nothing when imported', async () => {
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    const exitCode = process.exitCode;
    try {
      const main = await import('./main.js');
      expect(typeof main.buildProgram).toBe('function');
      expect(out).not.toHaveBeenCalled();
      expect(err).not.toHaveBeenCalled();
      expect(process.exitCode).toBe(exitCode);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('lists exactly the commands of the surface', async () => {
    const { buildProgram } = await import('./main.js');
    const paths: string[] = [];
    const walk = (cmd: Command, prefix: string[]) => {
      for (const sub of cmd.commands) {
        if ((sub as Command & { _hidden?: boolean })._hidden) continue;
        paths.push([...prefix, sub.name()].join(' '));
        walk(sub, [...prefix, sub.name()]);
      }
    };
    walk(buildProgram({ io: testIo(), exitCode: 0 }), []);
    expect(paths.sort()).toEqual(Object.keys(SURFACE).sort());
  });

  for (const [path, flags] of Object.entries(SURFACE)) {
    it(`promise ${path} --help shows its flags`, async () => {
      const { run } = await import('./main.js');
      const io = testIo();
      const code = await run(['node', 'promise', ...path.split(' '), '--help'], io);
      expect(code).toBe(0);
      const help = io.stdout();
      expect(help).toContain(`Usage: promise ${path}`);
      for (const flag of flags) expect(help).toMatch(new RegExp(`(^|[ ,])${flag}\\b(?!-)`, 'm'));
    });
  }

  it('runs a command through the program with the io it is given', async () => {
    const { run } = await import('./main.js');
    const io = testIo();
    expect(await run(['node', 'promise', 'schema'], io)).toBe(0);
    expect(JSON.parse(io.stdout()).$schema).toMatch(/json-schema/);
    const bad = testIo();
    expect(await run(['node', 'promise', 'check', '--bogus'], bad)).toBe(2);
    expect(bad.stderr()).toContain("unknown option '--bogus'");
  });

  it('a check declares only itself, and answers help and mistakes as the whole program does', async () => {
    const { buildProgram, run } = await import('./main.js');
    expect(buildProgram({ io: testIo(), exitCode: 0 }, 'check').commands.map((c) => c.name())).toEqual(['check']);
    for (const args of [
      ['check', '--help'],
      ['check', '--bogus'],
      ['check', '--qty'],
      ['check', 'extra'],
    ]) {
      const alone = testIo();
      await run(['node', 'promise', ...args], alone);
      const whole = testIo();
      await buildProgram({ io: whole, exitCode: 0 })
        .parseAsync(['node', 'promise', ...args])
        .catch(() => undefined);
      expect([alone.stdout(), alone.stderr()], args.join(' ')).toEqual([whole.stdout(), whole.stderr()]);
    }
  });
});
