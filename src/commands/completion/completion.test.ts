// promise completion: the bash script is checked by bash and driven as bash
// would drive it while a rep types (zsh and fish: test/shells/, npm run test:shells).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempDir } from '../../../test/helpers/cli.js';

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
  const words = ['promise', ...typed].map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words}); COMP_CWORD=${typed.length}; _promise; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, PROMISE_CAPABILITIES: '' },
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
});
