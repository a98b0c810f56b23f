// promise completion: the bash script is checked by bash and driven as bash
// would drive it while a rep types (zsh and fish: test/shells/, npm run test:shells).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fixture, ROOT, runCli, tempDir } from '../../../test/helpers/cli.js';
import { FIXED_VALUES } from './completion.js';

const dir = tempDir();
const bin = join(dir, 'bin');
mkdirSync(bin);
// `promise` on PATH, as an installed tool would be.
writeFileSync(join(bin, 'promise'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
chmodSync(join(bin, 'promise'), 0o755);
const script = join(dir, 'promise.bash');
writeFileSync(script, runCli(['completion', 'bash']).stdout);

/** What bash offers for the words typed so far (the last one being completed). */
function offers(...typed: string[]): string[] {
  return offersWith({}, ...typed);
}

function offersWith(env: Record<string, string>, ...typed: string[]): string[] {
  const words = ['promise', ...typed].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words}); COMP_CWORD=${typed.length}; _promise; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, PROMISE_CAPABILITIES: '', ...env },
  });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('promise completion bash', () => {
  it('is a script bash accepts', () => {
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
  });

  it('completes commands, subcommands and flags', () => {
    expect(offers('re')).toEqual(['release', 'recheck', 'replay', 'report']);
    expect(offers('log', 'v')).toEqual(['verify']);
    expect(offers('check', '--sku', 'PUMP-100', '--q')).toEqual(['--qty']);
  });

  it('offers the values of the capabilities file: ./capabilities.yaml, or the one on the line', () => {
    expect(offers('check', '--sku', 'PUMP-1')).toEqual(['PUMP-100', 'PUMP-1500']);
    expect(offers('check', '--to', '')).toContain('DE');
    expect(offers('check', '--capabilities', 'fixtures/companies/sydney.yaml', '--sku', '')).toEqual(['TURBINE-X', 'GASKET']);
    expect(offers('check', '--capabilities', 'fixtures/companies/sydney.yaml', '--from', '')).toEqual(['sydney', 'perth']);
    expect(offers('check', '--capabilities', 'fixtures/companies/sydney.yaml', '--method', '')).toEqual(['truck', 'air', 'rail']);
    expect(offers('capabilities', '--region', 'A')).toEqual(['AT']);
    expect(offers('check', '--capabilities', 'fixtures/companies/newark.yaml', '--customer', '')).toEqual(['globex', 'initech']);
  });

  it('an unknown shell is exit 2, one line', () => {
    expect(runCli(['completion', 'tcsh'])).toMatchObject({ code: 2, stderr: 'promise: completion: shell must be one of bash, zsh, fish, not "tcsh"\n' });
  });

  it('a path with a space is one reply, not two words (SC2207) (issue 22)', () => {
    const folder = join(dir, 'with space');
    mkdirSync(folder);
    copyFileSync(fixture('companies/sydney.yaml'), join(folder, 'my caps.yaml'));
    expect(offers('check', '--capabilities', `${folder}/my`)).toEqual([`${folder}/my caps.yaml`]);
    // And the values of that file, typed as the shell has it (a backslash before the space).
    expect(offers('check', '--capabilities', `${folder.replace(/ /g, '\\ ')}/my\\ caps.yaml`, '--sku', '')).toEqual(['TURBINE-X', 'GASKET']);
  });

  it('~ in --capabilities is the home folder', () => {
    const home = join(dir, 'home');
    mkdirSync(home);
    copyFileSync(fixture('companies/sydney.yaml'), join(home, 'caps.yaml'));
    expect(offersWith({ HOME: home }, 'check', '--capabilities', '~/caps.yaml', '--from', '')).toEqual(['sydney', 'perth']);
  });

  it('after --format, --by, --verdict and --status: their values, never flags', () => {
    expect(offers('validate', '--format', '')).toEqual(['text', 'json', 'github']);
    expect(offers('handoff', '--format', 'i')).toEqual(['ics']);
    expect(offers('capabilities', '--format', '')).toEqual(['text', 'markdown']);
    expect(offers('stats', '--by', 'sku,re')).toEqual(['sku,region', 'sku,rep']);
    expect(offers('log', '--verdict', '')).toEqual(['feasible', 'at_risk', 'infeasible']);
    expect(offers('log', '--status', 'm')).toEqual(['met', 'missed']);
    // A date, a number: nothing to offer, and no flags either.
    expect(offers('check', '--by', '')).toEqual([]);
    expect(offers('log', '--limit', '')).toEqual([]);
  });

  it.each(FIXED_VALUES.map((v) => [`${v.command} ${v.flag}`, v] as const))('%s offers what the command accepts', (_name, v) => {
    const where =
      v.command === 'validate' ? [] : v.command === 'capabilities' ? ['--capabilities', fixture('spec-example.yaml')] : ['--log', join(dir, 'none.db')];
    const r = runCli([v.command, v.flag, 'bogus', ...where]);
    expect(r.code).toBe(2);
    const said = /(?:one of|must be) ([a-z_]+(?:(?:, | or )[a-z_]+)+)/.exec(r.stderr)?.[1];
    expect(said?.split(/, | or /).filter((w) => w !== 'not')).toEqual(v.values);
  });
});
