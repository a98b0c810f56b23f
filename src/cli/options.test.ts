// --now is resolved once per invocation, in the company zone: loading and
// validating the file see the same instant as the check. 2026-12-01T23:30 in
// Auckland (UTC+13) is 10:30 UTC; read as UTC it would be the next day there.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers/cli.js';
import { testIo } from '../../test/helpers/io.js';
import { run } from './main.js';
import { clockOf } from './options.js';

const AUCKLAND = join(ROOT, 'fixtures/companies/auckland.yaml');
const PAST = 'incoming delivery dated 2026-12-01 is in the past';

async function promise(...args: string[]) {
  const io = testIo();
  const code = await run(['node', 'promise', ...args], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('--now without offset, in a company far from UTC', () => {
  const cache = process.env.XDG_CACHE_HOME;
  // A cold index: loading validates (and warns) instead of reading a cached result.
  beforeAll(() => {
    process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'promise-now-'));
  });
  afterAll(() => {
    if (cache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = cache;
  });

  it('validate reads it in the company zone: a delivery due today is not in the past', async () => {
    const tuesday = await promise('validate', AUCKLAND, '--now', '2026-12-01T23:30');
    expect(tuesday.stderr).not.toContain(PAST);
    expect(tuesday.code).toBe(0);
    // An hour later it is Wednesday in Auckland, and the warning is due.
    const wednesday = await promise('validate', AUCKLAND, '--now', '2026-12-02T00:30');
    expect(wednesday.stderr).toContain(PAST);
  });

  it('loading for a check sees the instant the check records', async () => {
    const r = await promise(
      'check',
      '--capabilities',
      AUCKLAND,
      '--sku',
      'VALVE-9',
      '--qty',
      '10',
      '--to',
      'AKL',
      '--by',
      '2026-12-04',
      '--now',
      '2026-12-01T23:30',
      '--no-log',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).now).toBe('2026-12-01T23:30:00+13:00');
    const warm = await promise('validate', AUCKLAND, '--now', '2026-12-01T23:30', '--format', 'json');
    expect(JSON.parse(warm.stdout).problems).toEqual([]);
  });

  it('one clock per invocation: the system clock is read once', async () => {
    const opts = {};
    const first = clockOf(opts).at('Pacific/Auckland');
    await new Promise((r) => setTimeout(r, 5));
    expect(clockOf(opts).at('UTC')).toBe(first);
    expect(clockOf({ now: '2026-12-01T23:30' }).today('Pacific/Auckland')).toBe('2026-12-01');
  });
});
