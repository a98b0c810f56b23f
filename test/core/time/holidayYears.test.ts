// No day's holiday status silently unknown (COMMITMENTS.md "Each site on its own
// clock and calendar"): public holidays for every year a check reaches, and a plan
// past the last year of a hand-typed list is at_risk, naming that year.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCapabilities } from '../../../src/capabilities/cache.js';
import { crossCheck } from '../../../src/capabilities/crossChecks.js';
import { parseCapabilities } from '../../../src/capabilities/load.js';
import { check } from '../../../src/core/checkPromise.js';
import { Ledger } from '../../../src/core/commitments/ledger.js';
import { compile, compileAll } from '../../../src/core/model.js';
import { parseNow } from '../../../src/core/time/clock.js';
import { fixture } from '../../helpers/cli.js';
import { berlin, capabilities } from '../../helpers/model.js';

const ny = (local: string) => parseNow(local, 'America/New_York') as Date;
const valve = { kind: 'delivery' as const, sku: 'VALVE-2', qty: 10, to: 'NY', by: '2028-12-15' };

describe('public holidays in every year a check reaches', () => {
  it('a check in 2028 on a file whose years are 2026 and 2027 knows Thanksgiving 2028, and is at_risk: the hand-typed list ends with 2027', () => {
    // newyork.yaml: years [2026, 2027], public_holidays [US], holidays [2026-12-24], Mon-Sat, handling 1, truck 1.
    // Tue 21 Nov 2028 09:00: order Tue 21, ships Wed 22; Thu 23 is Thanksgiving 2028 → arrives Fri 24.
    const file = fixture('companies/newyork.yaml');
    const now = ny('2028-11-21T09:00');
    const loaded = parseCapabilities(readFileSync(file, 'utf8'), file, now);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const r = check(compile(loaded.value.caps, loaded.value.catalogue), valve, new Ledger(), now);
    expect(r.plan).toMatchObject({ ship_date: '2028-11-22', delivery_date: '2028-11-24' });
    expect(r.verdict).toBe('at_risk');
    expect(r.reasons.find((x) => x.rule === 'calendar')).toMatchObject({
      ok: false,
      message:
        'order day 2028-11-21 (queens cut-off 15:00), ships 2028-11-22 by truck, arrives 2028-11-24: the holidays of 2028 are unknown (the hand-typed holidays end with 2027)',
    });
  });

  describe('through the index', () => {
    let dir: string;
    let saved: string | undefined;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'promise-years-'));
      saved = process.env.XDG_CACHE_HOME;
      process.env.XDG_CACHE_HOME = join(dir, 'cache');
    });
    afterAll(() => {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
      rmSync(dir, { recursive: true, force: true });
    });

    it('a file validated in 2026 and checked in 2031 is validated again for the years 2031 reaches', async () => {
      const file = join(dir, 'newyork.yaml');
      copyFileSync(fixture('companies/newyork.yaml'), file);
      const first = await loadCapabilities(file, ny('2026-11-23T09:00'));
      if (!first.ok) throw new Error(JSON.stringify(first.problems));
      expect(first.value.caps.calendar.holidays).toContain('2032-11-25'); // Thanksgiving 2032: 2026 reaches 2032
      expect(first.value.caps.calendar.holidays).not.toContain('2037-11-26');
      const later = await loadCapabilities(file, ny('2031-11-20T09:00'));
      if (!later.ok) throw new Error(JSON.stringify(later.problems));
      expect(later.value.caps.calendar.holidays).toContain('2037-11-26'); // Thanksgiving 2037: 2031 reaches 2037
    });
  });
});

describe('a hand-typed holiday list that ends', () => {
  const minimal = capabilities((raw) => {
    raw.calendar.holidays = ['2026-12-25']; // no years: the list ends with 2026
  });
  const widget = { kind: 'delivery' as const, sku: 'WIDGET', qty: 1, to: 'DE', by: '2027-01-29' };

  it('a plan within its last year passes; one reaching the next year is at_risk, naming it', () => {
    // Mon 14 Dec 2026 10:00: order Mon 14, handling 1 → ships Tue 15, 2 workdays → Thu 17.
    const within = check(compileAll(minimal), { ...widget, by: '2026-12-23' }, new Ledger(), berlin('2026-12-14T10:00'));
    expect(within.verdict).toBe('feasible');
    // Wed 30 Dec 2026 10:00: order Wed 30, ships Thu 31, 2 workdays → Mon 4 Jan 2027 (Fri 1 Jan is a workday: the list says nothing of 2027).
    const past = check(compileAll(minimal), widget, new Ledger(), berlin('2026-12-30T10:00'));
    expect(past.verdict).toBe('at_risk');
    expect(past.reasons.find((x) => x.rule === 'calendar')?.message).toBe(
      'order day 2026-12-30 (main cut-off 14:00), ships 2026-12-31 by standard, arrives 2027-01-04: the holidays of 2027 are unknown (the hand-typed holidays end with 2026)',
    );
  });

  it('a location with its own list is judged by its own list', () => {
    const caps = capabilities((raw) => {
      raw.locations[0].calendar = { holidays: ['2026-12-25', '2027-01-01'] };
    });
    const r = check(compileAll(caps), widget, new Ledger(), berlin('2026-12-30T10:00'));
    // Fri 1 Jan 2027 is main's holiday: ships Thu 31, Mon 4, Tue 5.
    expect(r.plan).toMatchObject({ ship_date: '2026-12-31', delivery_date: '2027-01-05' });
    expect(r.verdict).toBe('feasible');
  });

  it('validate warns when the list ends within a year of today', () => {
    const warnings = (caps: ReturnType<typeof capabilities>, at: string) => crossCheck(caps, berlin(at)).filter((p) => /hand-typed/.test(p.message));
    expect(warnings(minimal, '2025-12-15T10:00')).toEqual([]); // the list runs a year past today
    expect(warnings(minimal, '2026-03-02T10:00')).toEqual([
      {
        severity: 'warning',
        path: ['calendar', 'holidays'],
        atKey: false,
        message: "the hand-typed holidays end with 2026: add 2027's, or checks reaching 2027 are at_risk",
      },
    ]);
    const own = capabilities((raw) => {
      raw.calendar.holidays = ['2027-12-25'];
      raw.locations[0].calendar = { holidays: ['2026-12-25'] };
    });
    expect(warnings(own, '2026-03-02T10:00').map((p) => p.path)).toEqual([['locations', 0, 'calendar', 'holidays']]);
  });
});

describe('validating a location’s zone and calendar', () => {
  it('a misspelt zone and an unknown subdivision are errors at the location', () => {
    const text = readFileSync(fixture('companies/munichtoronto.yaml'), 'utf8')
      .replace('timezone: America/Toronto', 'timezone: America/Torontoo')
      .replace('public_holidays: [CA-ON]', 'public_holidays: [CA-OM]');
    const r = parseCapabilities(text, 'munichtoronto.yaml', new Date('2026-11-23T12:00:00Z'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.filter((p) => p.severity === 'error').map((p) => [p.path.join('.'), p.message])).toEqual([
      ['locations.1.timezone', 'unknown time zone "America/Torontoo" (use an IANA name such as Europe/Berlin)'],
      ['locations.1.calendar.public_holidays.0', expect.stringMatching(/^unknown country or subdivision "CA-OM" \(did you mean .*CA-ON/)],
    ]);
  });
});
