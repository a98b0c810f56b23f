// zsh and fish check their own completion scripts, and shellcheck the bash one
// (npm run test:shells; .ci/run installs all three with apt-get first). bash is
// driven in npm test (src/commands/completion/completion.test.ts).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir();

describe.each([
  ['zsh', ['-n']],
  ['fish', ['--no-execute']],
])('promise completion %s', (shell, check) => {
  it(`is a script ${shell} accepts`, () => {
    const file = join(dir, `promise.${shell}`);
    writeFileSync(file, runCli(['completion', shell]).stdout);
    const r = spawnSync(shell, [...check, file], { encoding: 'utf8' });
    expect(r.error, `${shell} is not installed: apt-get install ${shell}`).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

it('fish asks promise for the values of the file on the line, and knows the fixed ones', () => {
  const text = runCli(['completion', 'fish']).stdout;
  expect(text).toContain("complete -c promise -n '__fish_seen_subcommand_from handoff' -l format -x -a 'table csv json ics'");
  expect(text).toContain("complete -c promise -n '__fish_seen_subcommand_from check' -l sku -x -a '(promise __complete sku (__promise_caps) 2>/dev/null)'");
});

it('shellcheck finds nothing in the bash script (SC2207 and the rest) (issue 22)', () => {
  const file = join(dir, 'promise.bash');
  writeFileSync(file, runCli(['completion', 'bash']).stdout);
  const r = spawnSync('shellcheck', ['--shell=bash', '--severity=style', file], { encoding: 'utf8' });
  expect(r.error, 'shellcheck is not installed: apt-get install shellcheck').toBeUndefined();
  expect(r.stdout).toBe('');
  expect(r.status).toBe(0);
});
