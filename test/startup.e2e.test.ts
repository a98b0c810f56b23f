// A check must start fast: what it loads is pinned here, file by file and built-in by
// built-in, so that nothing creeps back onto the path (see scripts/build.mjs,
// bin/promise.js and docs/performance.md "Start-up").
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers/cli.js';
import { freshDatabase } from './helpers/teamLog.js';

const dir = tempDir();
const CHECK = ['check', '--sku', 'PUMP-100', '--qty', '50', '--to', 'DE', '--by', '2026-12-04', '--now', '2026-11-23T10:00', '--no-log', '--json'];
const LOGGED = [...CHECK.filter((a) => a !== '--no-log'), '--log', join(dir, 'logged.db')];

/** What one run loads (test/helpers/recordLoads.cjs): public built-ins as node:NAME, files relative to the package. */
function loadsOf(args: string[], name: string, cache = join(dir, 'cache')): string[] {
  const record = join(dir, `${name}.txt`);
  const r = runCli(args, { env: { XDG_CACHE_HOME: cache, RECORD_LOADS: record, NODE_OPTIONS: `--require=${join(ROOT, 'test/helpers/recordLoads.cjs')}` } });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(record, 'utf8')
    .split('\n')
    .filter((l) => !l.endsWith('recordLoads.cjs'))
    .map((l) => l.replace(ROOT, ''))
    .sort();
}

/** better-sqlite3: its JavaScript is in the bundle, only the native addon is loaded from node_modules. */
const SQLITE = ['node_modules/better-sqlite3/build/Release/better_sqlite3.node'];
/**
 * Built-ins every run loads: vm, module and os for bin/promise.js, v8 to have V8 checksum the
 * code cache (it brings the streams, which writing to a pipe would load anyway), process for
 * the bundle's top level; net and diagnostics_channel to write to a pipe, as here.
 */
const BASE = [
  'node:diagnostics_channel',
  'node:module',
  'node:net',
  'node:os',
  'node:process',
  'node:stream',
  'node:stream/promises',
  'node:string_decoder',
  'node:v8',
  'node:vm',
];

describe('what a run loads, exactly', () => {
  it('a warm check, not logged: the bundle (read by bin/promise.js, not required), SQLite for the index, nothing else (no tty: no colours into a pipe)', () => {
    loadsOf(CHECK, 'nolog-cold');
    expect(loadsOf(CHECK, 'nolog')).toEqual([...BASE, 'bin/promise.js', ...SQLITE].sort());
  });

  it('a warm check, logged: the same, and crypto for the hash chain of the log (not loaded until something hashes)', () => {
    loadsOf(LOGGED, 'logged-cold');
    expect(loadsOf(LOGGED, 'logged')).toEqual([...BASE, 'node:crypto', 'bin/promise.js', ...SQLITE].sort());
  });

  it("a warm check on a team log without TLS: postgres.js and the connection's built-ins, never node:tls", async () => {
    const url = new URL(await freshDatabase());
    url.searchParams.set('sslmode', 'disable');
    const teamLogged = [...CHECK.filter((a) => a !== '--no-log'), '--log', url.toString()];
    loadsOf(teamLogged, 'team-cold');
    const loads = loadsOf(teamLogged, 'team');
    expect(loads).toContain('dist/lib/postgres.cjs');
    expect(loads).toContain('node:crypto'); // SCRAM and the chain
    expect(loads).not.toContain('node:tls');
  });

  it('--help into a pipe: the text the build printed, nothing else loaded', () => {
    expect(loadsOf(['--help'], 'help')).toEqual(['bin/promise.js']);
    expect(loadsOf(['-h'], 'h')).toEqual(['bin/promise.js']);
  });

  it('--help rendered by the CLI (at a terminal, or with FORCE_COLOR): no SQLite, no crypto, no chalk', () => {
    const rendered = (name: string) => {
      const record = join(dir, `${name}.txt`);
      const env = {
        XDG_CACHE_HOME: join(dir, 'cache'),
        RECORD_LOADS: record,
        FORCE_COLOR: '0',
        NODE_OPTIONS: `--require=${join(ROOT, 'test/helpers/recordLoads.cjs')}`,
      };
      expect(runCli(['--help'], { env }).code).toBe(0);
      return readFileSync(record, 'utf8')
        .split('\n')
        .filter((l) => !l.endsWith('recordLoads.cjs'))
        .map((l) => l.replace(ROOT, ''))
        .sort();
    };
    rendered('rendered-cold');
    expect(rendered('rendered')).toEqual([...BASE, 'bin/promise.js'].sort());
  });

  it('--help from the build is, byte for byte, what the CLI renders, and `promise help` too', () => {
    const printed = runCli(['--help']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^Usage: promise /);
    expect(runCli(['--help'], { env: { FORCE_COLOR: '0' } })).toEqual(printed);
    expect(runCli(['help'])).toEqual(printed);
  });
});

describe('what a check loads on the paths that need more', () => {
  it('parses the file (YAML, full zod) only when the cache does not have it', () => {
    const cache = join(dir, 'parse-cache');
    expect(loadsOf(CHECK, 'cold', cache)).toContain('dist/parser/parser.cjs');
    expect(loadsOf(CHECK, 'warm', cache).filter((f) => f.startsWith('dist/'))).toEqual([]);
  });

  it('a file with public_holidays: the data set is read when validating, never on a warm check', () => {
    const ny = [
      'check',
      '--capabilities',
      'fixtures/companies/newyork.yaml',
      '--sku',
      'VALVE-2',
      '--qty',
      '1',
      '--to',
      'NY',
      '--by',
      '2026-12-04',
      '--now',
      '2026-11-23T10:00',
      '--no-log',
    ];
    loadsOf(ny, 'ny-cold');
    expect(loadsOf(ny, 'ny-warm').filter((f) => f.startsWith('dist/'))).toEqual([]);
  });

  it('loads natural-language dates when the rep types one', () => {
    const phrase = loadsOf([...CHECK.slice(0, 7), '--by', '5 December', ...CHECK.slice(9)], 'phrase');
    expect(phrase.filter((f) => f.startsWith('dist/'))).toEqual(['dist/lib/chrono-node.cjs']);
  });

  it("a check's bundle (dist/check.cjs) holds the check command alone: under 250 KB (today ~235 KB), none of the other commands", () => {
    // bin/promise.js runs a check from it; the other 19 commands, help and completion are dist/cli.cjs's.
    const check = readFileSync(join(ROOT, 'dist/check.cjs'), 'utf8');
    expect(check.length).toBeLessThan(250 * 1024);
    // package.json's version alone, not the whole file as an object every run builds.
    expect(check).toContain(`"${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}"`);
    expect(check).not.toContain('devDependencies');
    // Three other commands' descriptions, as a sample: each is in dist/cli.cjs.
    const cli = readFileSync(join(ROOT, 'dist/cli.cjs'), 'utf8');
    for (const other of ['print a completion script', 'mark a checked promise', 'validate a capabilities file']) {
      expect(cli).toContain(other);
      expect(check).not.toContain(other);
    }
  });

  it('the bundle every other run reads stays under 320 KB (today ~296 KB): libraries only some commands use live in dist/lib/', () => {
    // A budget, not a timing. The bundle holds every command, initialised on first use; with the
    // code cache V8 neither parses nor compiles what a run does not run, but every run reads it
    // and deserialises its top level. date-holidays inside it would add 1.4 MB, full zod 400 KB.
    expect(statSync(join(ROOT, 'dist/cli.cjs')).size).toBeLessThan(320 * 1024);
  });
});

describe('the code cache', () => {
  const cacheFiles = (cache: string) => readdirSync(join(cache, 'promise')).filter((f) => f.endsWith('.v8'));

  it('is written by the first run of a kind, then used as it is', () => {
    const cache = join(dir, 'code-cache');
    const first = runCli(CHECK, { env: { XDG_CACHE_HOME: cache } });
    const [file] = cacheFiles(cache);
    expect(file).toMatch(/^code-check-\w+-\w+-.+-check-nolog\.v8$/);
    const path = join(cache, 'promise', file as string);
    const written = statSync(path);
    const second = runCli(CHECK, { env: { XDG_CACHE_HOME: cache } });
    expect(second).toEqual(first);
    // Not rewritten: V8 accepted it.
    expect(statSync(path).ino).toBe(written.ino);
  });

  it("each bundle keeps its own: a check's cache and the other commands' live side by side", () => {
    const cache = join(dir, 'two-bundles');
    expect(runCli(CHECK, { env: { XDG_CACHE_HOME: cache } }).code).toBe(0);
    expect(runCli(['schema'], { env: { XDG_CACHE_HOME: cache } }).code).toBe(0);
    expect(runCli(CHECK, { env: { XDG_CACHE_HOME: cache } }).code).toBe(0);
    const files = cacheFiles(cache);
    expect(files.filter((f) => f.startsWith('code-check-') && f.endsWith('-check-nolog.v8'))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('code-cli-') && f.endsWith('-command.v8'))).toHaveLength(1);
  });

  it("garbage, a flipped byte, a truncated file or another program's cache: the same answer, and the cache rewritten", () => {
    const cache = join(dir, 'bad-cache');
    const clean = runCli(CHECK, { env: { XDG_CACHE_HOME: cache } });
    expect(clean.code).toBe(0);
    const path = join(cache, 'promise', cacheFiles(cache)[0] as string);
    const good = readFileSync(path);
    const flipped = Buffer.from(good);
    flipped.writeInt32LE(~flipped.readInt32LE(good.length >> 1), good.length >> 1);
    const corruptions: [string, Buffer][] = [
      ['garbage', Buffer.from('not a code cache at all\n'.repeat(100))],
      ['a flipped byte', flipped], // V8 does not checksum a code cache unless asked: this one crashed the process
      ['truncated', good.subarray(0, good.length >> 1)],
      ["another program's", new Script('"another program"').createCachedData()],
    ];
    for (const [what, bytes] of corruptions) {
      writeFileSync(path, bytes);
      expect(runCli(CHECK, { env: { XDG_CACHE_HOME: cache } }), what).toEqual(clean);
      const rewritten = readFileSync(path);
      expect(rewritten.equals(bytes), what).toBe(false);
      expect(rewritten.length, what).toBeGreaterThan(good.length / 2);
    }
  });
});
