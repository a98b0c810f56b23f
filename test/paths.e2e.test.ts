// Hostile paths through the built CLI (issue 22, "Paths and files"): a feed path
// may name any file, an output path any place. Feeds: only regular files outside
// /proc and /sys are read, nothing of them is echoed beyond a short excerpt, and
// absolute and ../ paths to real CSVs work. Outputs: written through a temp file
// in the target folder and renamed; FIFOs, devices, directories and links are
// refused; every failure is one line and exit 2.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fixture, runCli, tempDir } from './helpers/cli.js';

const NOW = ['--now', '2026-11-23T10:00'];
const dir = tempDir();

function expectOneLine(r: { code: number; stderr: string }, code: number, pattern: RegExp) {
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(code);
}

/** A fresh copy of the reno company (fixtures/feeds/reno) whose stock feed is `stock`. */
function reno(stock?: string) {
  const home = join(dir, `c${Math.random().toString(36).slice(2)}`);
  cpSync(fixture('feeds/reno'), home, { recursive: true });
  const file = join(home, 'capabilities.yaml');
  if (stock !== undefined) writeFileSync(file, readFileSync(file, 'utf8').replace('stock: stock.csv', `stock: ${JSON.stringify(stock)}`));
  return { home, file, env: { XDG_CACHE_HOME: join(home, '.cache') } };
}

const validate = (c: ReturnType<typeof reno>, ...more: string[]) =>
  spawnSync(process.execPath, [BIN, 'validate', c.file, ...NOW, ...more], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, NO_COLOR: '1', ...c.env, SECRET_TOKEN: 'hunter2-do-not-print' },
  });

describe('feed paths', () => {
  it('/proc/self/environ through ../ is refused before reading: no secret is printed', () => {
    const c = reno();
    const up = relative(c.home, '/').split('/').length;
    const r = validate(reno(`${'../'.repeat(up + 2)}proc/self/environ`));
    expectOneLine({ code: r.status ?? -1, stderr: r.stderr }, 2, /feed .*proc\/self\/environ: is a kernel file under \/proc or \/sys, not a supply feed/);
    expect(r.stderr + r.stdout).not.toContain('hunter2');
  });

  it('a FIFO is refused, not waited on', () => {
    const c = reno('stock.fifo');
    execFileSync('mkfifo', [join(c.home, 'stock.fifo')]);
    const r = validate(c);
    expect(r.error).toBeUndefined(); // not killed by the timeout
    expectOneLine({ code: r.status ?? -1, stderr: r.stderr }, 2, /feed stock\.fifo: is a named pipe \(FIFO\), not a supply feed/);
  });

  it('/dev/zero and a directory are refused', () => {
    const zero = validate(reno('/dev/zero'));
    expectOneLine({ code: zero.status ?? -1, stderr: zero.stderr }, 2, /feed \/dev\/zero: is a device, not a supply feed/);
    const c = reno('sub');
    mkdirSync(join(c.home, 'sub'));
    const folder = validate(c);
    expectOneLine({ code: folder.status ?? -1, stderr: folder.stderr }, 2, /feed sub: is a directory, not a supply feed/);
  });

  it('an absolute path and a ../ path to a real CSV are read', () => {
    const exports = join(dir, 'erp-exports');
    mkdirSync(exports, { recursive: true });
    cpSync(fixture('feeds/reno/stock.csv'), join(exports, 'stock.csv'));
    const absolute = validate(reno(join(exports, 'stock.csv')));
    expect(absolute.stderr).toBe('');
    expect(absolute.status).toBe(0);
    const c = reno();
    const up = validate(reno(relative(c.home, join(exports, 'stock.csv'))));
    expect(up.stderr).toBe('');
    expect(up.status).toBe(0);
    // And a check through the cache finds it again (the record keeps the resolved path).
    const check = (cc: typeof c) =>
      runCli(['check', '--sku', 'WIDGET', '--qty', '1', '--to', 'CA', '--by', '2026-12-31', '--capabilities', cc.file, '--no-log', ...NOW], {
        env: cc.env,
      });
    const abs = reno(join(exports, 'stock.csv'));
    expect(check(abs).code).toBe(0);
    expect(check(abs).code).toBe(0);
  });

  it('a binary file and a one-line secret are never echoed beyond a short excerpt', () => {
    const c = reno('stock.bin');
    writeFileSync(join(c.home, 'stock.bin'), Buffer.from('sku,location,on_hand\nAKIA\u0000SECRETSECRET\n'));
    const bin = validate(c);
    expectOneLine({ code: bin.status ?? -1, stderr: bin.stderr }, 2, /stock\.bin:2:5: contains a NUL byte: binary, not a CSV text file/);
    expect(bin.stderr).not.toContain('SECRET');
    // Not a feed at all (no required column): nothing of it is named.
    const d = reno('env.txt');
    writeFileSync(join(d.home, 'env.txt'), `API_KEY=${'s3cr3t'.repeat(20_000)},PATH=/usr/bin\n`);
    const env = validate(d);
    expectOneLine(
      { code: env.status ?? -1, stderr: env.stderr },
      2,
      /^env\.txt:1:1: missing columns "sku", "location", "on_hand" \(a stock feed has sku,location,on_hand\)\n$/,
    );
    // A feed with a long column name holding control characters: 40 characters of it, escaped.
    const e = reno('odd.csv');
    writeFileSync(join(e.home, 'odd.csv'), `sku,location,on_hand,\u001b[2J\u0007${'x'.repeat(100_000)}\nWIDGET,reno,1,\nGADGET,reno,1,\nBOLT,reno,1,\n`);
    const odd = validate(e);
    expect(odd.status).toBe(0);
    expect(odd.stderr).toBe(`odd.csv:1:22: warning: unknown column "\\u001b[2j\\u0007${'x'.repeat(35)}…" is ignored\n`);
  });

  it('100,000 columns and 200,000 bad rows: bounded output, "… and N more"', () => {
    const wide = reno('wide.csv');
    const columns = Array.from({ length: 100_000 }, (_, i) => `extra${i}`);
    writeFileSync(join(wide.home, 'wide.csv'), `sku,location,on_hand,${columns.join(',')}\n`);
    const w = validate(wide);
    expect(w.error).toBeUndefined();
    const lines = w.stderr.trim().split('\n');
    expect(lines).toHaveLength(103);
    expect(lines[0]).toMatch(/^wide\.csv:1:1: warning: has a header and no rows/);
    expect(lines[1]).toBe('wide.csv:1:22: warning: unknown column "extra0" is ignored');
    expect(lines[100]).toBe('wide.csv:1:804: warning: … and 99,901 more problems in this feed (all warnings), not shown');
    const bad = reno('bad.csv');
    writeFileSync(join(bad.home, 'bad.csv'), `sku,location,on_hand\n${'WIDGET,reno,lots\n'.repeat(200_000)}`);
    const b = validate(bad);
    expect(b.status).toBe(2);
    const badLines = b.stderr.trim().split('\n');
    expect(badLines).toHaveLength(101);
    expect(badLines.at(-1)).toBe('bad.csv:102:13: … and 199,900 more problems in this feed, not shown');
  });

  it('a header-only stock feed: the products of the feed can never be promised, as YAML products with no stock', () => {
    const c = reno('empty-stock.csv');
    writeFileSync(join(c.home, 'empty-stock.csv'), 'sku,location,on_hand\n');
    writeFileSync(join(c.home, 'incoming.csv'), 'sku,location,qty,date\n');
    const r = validate(c);
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      'empty-stock.csv:1:1: warning: has a header and no rows: nothing from this stock feed (an empty incoming feed is normal; an empty stock feed is a failed export)',
      'products.csv:3:1: warning: "GADGET" has no stock and no replenishment: it can never be promised',
      'products.csv:5:1: warning: "BOLT" has no stock and no replenishment: it can never be promised',
    ]);
  });
});

describe('output files', () => {
  /** A log with one recorded check, for report. */
  const logged = () => {
    const c = reno();
    const log = join(c.home, 'log.db');
    const r = runCli(['check', '--sku', 'WIDGET', '--qty', '1', '--to', 'CA', '--by', '2026-12-31', '--capabilities', c.file, '--log', log, ...NOW], {
      env: c.env,
    });
    expect(r.code).toBe(0);
    return { ...c, log };
  };
  const report = (c: ReturnType<typeof logged>, target: string) => runCli(['report', '--log', c.log, '--html', target, ...NOW], { env: c.env });

  it('report --html: a missing folder, a file as folder, a directory, a FIFO, a device, a link: one line, exit 2, nothing replaced', () => {
    const c = logged();
    expectOneLine(report(c, join(c.home, 'nope', 'r.html')), 2, /--html .*nope\/r\.html: no folder .*nope/);
    expectOneLine(report(c, join(c.home, 'capabilities.yaml', 'r.html')), 2, /--html .*: .*capabilities\.yaml is not a folder/);
    expectOneLine(report(c, c.home), 2, /--html .*: is a directory, not a file to replace/);
    const fifo = join(c.home, 'r.fifo');
    execFileSync('mkfifo', [fifo]);
    expectOneLine(report(c, fifo), 2, /--html .*r\.fifo: is a named pipe \(FIFO\), not a file to replace/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expectOneLine(report(c, '/dev/null'), 2, /--html \/dev\/null: is a device, not a file to replace/);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const target = join(c.home, 'precious.txt');
    writeFileSync(target, 'keep me');
    const link = join(c.home, 'r.html');
    symlinkSync(target, link);
    expectOneLine(report(c, link), 2, /--html .*r\.html: is a symbolic link: not followed, not replaced/);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    // The real thing: written, and no temp file left beside it.
    const ok = report(c, join(c.home, 'out.html'));
    expect(ok.code).toBe(0);
    expect(readdirSync(c.home).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('init: a missing folder, a FIFO even with --force: one line, exit 2', () => {
    const c = reno();
    expectOneLine(runCli(['init', join(c.home, 'nope', 'c.yaml'), '--no-input', ...NOW]), 2, /init .*nope\/c\.yaml: no folder/);
    const fifo = join(c.home, 'c.fifo');
    execFileSync('mkfifo', [fifo]);
    expectOneLine(runCli(['init', fifo, '--no-input', '--force', ...NOW]), 2, /c\.fifo: is a named pipe \(FIFO\), not a file to replace/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(runCli(['init', join(c.home, 'fresh.yaml'), '--no-input', ...NOW]).code).toBe(0);
    expect(existsSync(join(c.home, 'fresh.yaml'))).toBe(true);
  });
});
