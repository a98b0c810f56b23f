// Hostile and broken inputs on the built CLI: one clear line, a documented exit
// code, bounded time, never a stack trace, never a lost or half-written row.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, SPEC_EXAMPLE, tempDir } from './helpers/cli.js';

const dir = tempDir();
const CHECK = ['check', '--sku', 'PUMP-100', '--qty', '5', '--to', 'DE', '--by', '2026-12-04', '--now', '2026-11-23T10:00'];
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at |Error: .*\n.*node:internal/);

function expectOneLine(r: { code: number; stderr: string }, code: number, pattern: RegExp) {
  expect(r.code).toBe(code);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  noStack(r.stderr);
}

describe('hostile capabilities files', () => {
  it('a billion-laughs alias bomb is refused quickly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const file = join(dir, 'bomb.yaml');
    writeFileSync(file, `${levels.join('\n')}\n`);
    const t = Date.now();
    const r = runCli(['validate', file]);
    expect(Date.now() - t).toBeLessThan(20_000);
    expectOneLine(r, 2, /bomb\.yaml:1:1: YAML: Excessive alias count/);
    expectOneLine(runCli([...CHECK, '--capabilities', file, '--no-log']), 2, /Excessive alias count/);
  });

  it('a 50 MB file is refused by size, without reading it into a parse', () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `# ${'x'.repeat(50 * 1024 * 1024)}\n`);
    expectOneLine(runCli(['validate', file]), 2, /huge\.yaml: is 50\.0 MiB; a capabilities file is limited to 32 MiB/);
  });

  it('binary junk, an empty file, a directory, a missing file', () => {
    const junk = join(dir, 'junk.yaml');
    writeFileSync(junk, Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x37, 0x00, 0x80]));
    expectOneLine(runCli(['validate', junk]), 2, /junk\.yaml:1:1: contains a NUL byte: binary, not a YAML text file/);
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, '');
    expectOneLine(runCli([...CHECK, '--capabilities', empty, '--no-log']), 2, /empty\.yaml:1:1: the file is empty/);
    expectOneLine(runCli([...CHECK, '--capabilities', dir, '--no-log']), 2, /is a directory, not a capabilities file/);
    expectOneLine(runCli([...CHECK, '--capabilities', join(dir, 'nope.yaml'), '--no-log']), 2, /nope\.yaml: no such file/);
  });

  it('a file without read permission', () => {
    const file = join(dir, 'secret.yaml');
    copyFileSync(SPEC_EXAMPLE, file);
    chmodSync(file, 0o000);
    // root reads anything: run the CLI as nobody then.
    const asRoot = process.getuid?.() === 0;
    const r = spawnSync(process.execPath, [BIN, 'validate', file], { encoding: 'utf8', cwd: ROOT, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${file}: permission denied\n`);
  });

  it('deep nesting and unicode in names', () => {
    const deep = join(dir, 'deep.yaml');
    writeFileSync(deep, `${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expectOneLine(runCli(['validate', deep]), 2, /deep\.yaml:1:\d+: YAML syntax: nested too deeply/);
    const deepMap = join(dir, 'deep-map.yaml');
    writeFileSync(deepMap, `version: 1\ncompany: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}\n`);
    expectOneLine(runCli(['validate', deepMap]), 2, /deep-map\.yaml:\d+:\d+: /);
    const uni = join(dir, 'unicode.yaml');
    writeFileSync(
      uni,
      readFileSync(SPEC_EXAMPLE, 'utf8').replace('Northwind Pumps GmbH', 'Nördwind 🚀 Pümpen ГмбХ').replace('sku: SEAL-KIT', 'sku: "SEAL-KIT-ß✓"'),
    );
    expect(runCli(['validate', uni]).code).toBe(0);
    const r = runCli(['check', '--capabilities', uni, '--sku', 'SEAL-KIT-ß✓', '--qty', '5', '--to', 'DE', '--by', '2026-12-04', '--no-log', '--json']);
    expect(JSON.parse(r.stdout).verdict).toBe('feasible');
  });
});

describe('hostile promise input', () => {
  it.each([
    [['--qty', '0'], /qty must be at least 1/],
    [['--qty', '2.5'], /qty must be a whole number/],
    [['--qty', '1e99'], /qty must be a whole number/],
    [['--qty', 'NaN'], /qty must be a whole number/],
    [['--qty', '0x10'], /qty must be a whole number/],
    [['--qty', '1e3'], /qty must be a whole number/],
    [['--qty', '99999999999'], /qty must be at most 1,000,000,000/],
    [['--by', '99999-01-01'], /by: "99999-01-01" is not a date/],
    [['--by', '2026-13-01'], /by: "2026-13-01" is not a date/],
    [['--to', 'x'.repeat(500)], /to \(region\) is longer than 200 characters/],
    [['--now', 'yesterday-ish'], /--now: "yesterday-ish" is not an ISO 8601 date-time/],
  ])('%j → exit 2', (flags, message) => {
    const args = [...CHECK, '--capabilities', SPEC_EXAMPLE, '--no-log'];
    for (let i = 0; i < flags.length; i += 2) {
      const at = args.indexOf(flags[i]!);
      if (at >= 0) args.splice(at, 2);
      args.push(flags[i]!, flags[i + 1]!);
    }
    expectOneLine(runCli(args), 2, message);
  });

  it('injection strings in customer and rep are stored as text, verbatim', () => {
    const log = join(dir, 'inject.db');
    const evil = "Robert'); DROP TABLE checks;--";
    const r = runCli([...CHECK, '--capabilities', SPEC_EXAMPLE, '--log', log, '--customer', evil, '--rep', '=cmd|"/c calc"!A1', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(runCli(['log', '--json', '--log', log]).stdout);
    expect(rows[0]).toMatchObject({ customer: evil, rep: '=cmd|"/c calc"!A1' });
    // CSV export defuses the spreadsheet formula.
    expect(runCli(['log', '--csv', '--log', log]).stdout).toContain(`'=cmd|""/c calc""!A1`);
  });
});

describe('a reader that goes away', () => {
  it('closing stdout mid-batch (| head) ends quietly: no EPIPE stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const input = `${Array.from({ length: 20_000 }, () => '{"sku":"SEAL-KIT","qty":1,"to":"DE","by":"2026-12-18"}').join('\n')}\n`;
    const child = spawn(process.execPath, [BIN, 'check', '--capabilities', SPEC_EXAMPLE, '--now', '2026-11-23T10:00', '--input', '-', '--json', '--no-log']);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect([0, 1, 3]).toContain(code);
  });
});

describe('logs that cannot be written: exit 4, nothing reported', () => {
  it('a read-only log directory', () => {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const asRoot = process.getuid?.() === 0;
    const r = spawnSync(process.execPath, [BIN, ...CHECK, '--capabilities', SPEC_EXAMPLE, '--log', join(ro, 'sub', 'log.db')], {
      encoding: 'utf8',
      cwd: ROOT,
      env: { ...process.env, XDG_CACHE_HOME: join(dir, 'nobody-cache') },
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    expect(r.status).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^promise: log .* cannot be created: permission denied; nothing was recorded\n$/);
  });

  it('a log file that is not SQLite', () => {
    const fake = join(dir, 'fake.db');
    writeFileSync(fake, 'this is a text file, not a database '.repeat(200));
    const r = runCli([...CHECK, '--capabilities', SPEC_EXAMPLE, '--log', fake]);
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.stderr).toBe(`promise: log ${fake} is not a promise log (not an SQLite database); nothing was recorded\n`);
  });

  it('a full disk (a 200 KiB tmpfs): exit 4, what was reported is in the log, the log still verifies', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ sku: 'SEAL-KIT', qty: 1, to: 'DE', by: '2026-12-18', customer: `c${i}` })).join('\n');
    const input = join(dir, 'full.ndjson');
    writeFileSync(input, lines);
    const mnt = join(dir, 'tiny');
    mkdirSync(mnt);
    const script = [
      `mount -t tmpfs -o size=200k tmpfs ${mnt}`,
      `node ${BIN} check --capabilities ${SPEC_EXAMPLE} --now 2026-11-23T10:00 --input ${input} --json --log ${mnt}/log.db > ${dir}/full.out 2> ${dir}/full.err; echo "rc=$?"`,
      `node ${BIN} log verify --log ${mnt}/log.db --json`,
      `node -e "const D=require('${ROOT}node_modules/better-sqlite3');const d=new D('${mnt}/log.db',{readonly:true});console.log('rows='+d.prepare('select count(*) n from checks').get().n)"`,
    ].join('; ');
    const r = spawnSync('unshare', ['--mount', '--map-root-user', 'sh', '-c', script], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') },
    });
    expect(r.stdout).toContain('rc=4');
    expect(readFileSync(join(dir, 'full.err'), 'utf8')).toMatch(/^promise: log .* cannot grow: the disk or size limit is full; nothing was recorded\n$/);
    const verify = JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('{'))!);
    expect(verify).toMatchObject({ ok: true, integrity: 'ok' });
    const rows = Number(/rows=(\d+)/.exec(r.stdout)![1]);
    const reported = readFileSync(join(dir, 'full.out'), 'utf8').trim().split('\n').filter(Boolean).length;
    expect(reported).toBe(rows);
    expect(rows).toBeLessThan(3000);
  });
});
