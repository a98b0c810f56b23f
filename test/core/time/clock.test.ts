import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { instantAt, isoInZone, localTime, parseNow, zoneProblem } from '../../../src/core/time/clock.js';
import { dayOf, parseIsoDay } from '../../../src/core/time/days.js';

const ZONES = Intl.supportedValuesOf('timeZone');
const d = (iso: string) => parseIsoDay(iso)!;

/** The reference: a zone's wall clock at an instant, as Intl formats it. */
function intlWall(ms: number, zone: string): { day: number; minute: number; offset: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(ms);
  const p = Object.fromEntries(parts.map((x) => [x.type, Number(x.value)]));
  const wallMs = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return { day: dayOf(p.year!, p.month!, p.day!), minute: p.hour! * 60 + p.minute!, offset: Math.round((wallMs - Math.floor(ms / 1000) * 1000) / 60_000) };
}

const offsetText = (minutes: number) =>
  `${minutes < 0 ? '-' : '+'}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;

describe('clock: instants and wall clocks in a zone', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('reads every zone Intl knows as Intl does, 1990–2060', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), (zone, ms) => {
        const want = intlWall(ms, zone);
        expect(localTime(new Date(ms), zone)).toEqual({ day: want.day, minute: want.minute });
        expect(isoInZone(new Date(ms), zone).slice(-6)).toBe(offsetText(want.offset));
      }),
    );
  });

  it('turns a wall-clock minute back into the instant that shows it (outside DST gaps)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: d('1990-01-01'), max: d('2060-01-01') }),
        fc.integer({ min: 0, max: 1439 }),
        (zone, day, minute) => {
          const ms = instantAt(day, minute, zone);
          const back = intlWall(ms, zone);
          // A minute skipped by a DST change (or a skipped day, Apia 2011) lands after it.
          if (back.day !== day || back.minute !== minute) expect(back.day * 1440 + back.minute).toBeGreaterThan(day * 1440 + minute);
        },
      ),
    );
  });

  it.each([
    ['Europe/Berlin', '2026-03-29', '02:30', '2026-03-29T03:30:00+02:00', 'a skipped hour counts as after the change'],
    ['Europe/Berlin', '2026-10-25', '02:30', '2026-10-25T02:30:00+02:00', 'a repeated hour is its first occurrence'],
    ['America/Santiago', '2026-09-06', '00:00', '2026-09-06T01:00:00-03:00', 'a midnight that does not exist'],
    ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-04T02:45:00+11:00', 'a half-hour DST change'],
    ['Asia/Kathmandu', '2026-11-23', '10:00', '2026-11-23T10:00:00+05:45', 'a quarter-hour offset'],
    ['Europe/Berlin', '2026-12-31', '24:00', '2027-01-01T00:00:00+01:00', 'minute 1440 is the next midnight'],
  ])('%s %s %s → %s (%s)', (zone, day, clock, expected) => {
    const [h, m] = clock.split(':').map(Number) as [number, number];
    expect(isoInZone(new Date(instantAt(d(day), h * 60 + m, zone)), zone)).toBe(expected);
  });

  it('prints milliseconds only when there are some', () => {
    expect(isoInZone(new Date('2026-11-23T09:00:00.250Z'), 'Europe/Berlin')).toBe('2026-11-23T10:00:00.250+01:00');
    expect(isoInZone(new Date('2026-11-23T09:00:00Z'), 'UTC')).toBe('2026-11-23T09:00:00+00:00');
    expect(isoInZone(new Date('2026-11-23T09:00:00Z'), 'America/St_Johns')).toBe('2026-11-23T05:30:00-03:30');
  });

  it.each([
    ['2026-11-23T10:00', '2026-11-23T09:00:00.000Z', 'wall clock in the zone'],
    ['2026-07-01T10:00', '2026-07-01T08:00:00.000Z', 'summer time'],
    ['2026-11-23 10:00:30', '2026-11-23T09:00:30.000Z', 'a space instead of T, seconds'],
    ['2026-11-23', '2026-11-22T23:00:00.000Z', 'a date alone is local midnight'],
    ['2026-11-23T10:00Z', '2026-11-23T10:00:00.000Z', 'Z'],
    ['2026-11-23T10:00:00.5+05:30', '2026-11-23T04:30:00.500Z', 'an offset and a fraction'],
    ['2026-11-23T10:00-0800', '2026-11-23T18:00:00.000Z', 'an offset without colon'],
    ['2026-11-23T10:00+01', '2026-11-23T09:00:00.000Z', 'an hours-only offset'],
  ])('--now %s is %s (%s)', (text, iso) => {
    expect((parseNow(text, 'Europe/Berlin') as Date).toISOString()).toBe(iso);
  });

  it.each(['', 'now', '2026-02-30T10:00', '2026-11-23T25:00', '2026-11-23T10:60', '2026-11-23T10', '2026-11-23T10:00+25:00', '23.11.2026'])(
    '--now %j is not an instant',
    (text) => expect(parseNow(text, 'Europe/Berlin')).toBe('is not an ISO 8601 date-time (e.g. 2026-11-23T10:00)'),
  );

  it.each(['0050-01-01T10:00', '1969-12-31T23:59Z'])('--now %j is refused as before 1970, not as a malformed date', (text) => {
    expect(parseNow(text, 'Europe/Berlin')).toBe('is before 1970: dates start on 1970-01-01');
  });

  it('leaves TZ as it found it, set or not', () => {
    process.env.TZ = 'Asia/Tokyo';
    localTime(new Date(0), 'America/New_York');
    expect(process.env.TZ).toBe('Asia/Tokyo');
    expect(new Date(0).getHours()).toBe(9);
    delete process.env.TZ;
    isoInZone(new Date(1), 'Europe/Berlin');
    expect('TZ' in process.env).toBe(false);
  });

  it.each([
    ['Europe/Berlin', null],
    ['US/Pacific', null],
    ['Etc/GMT+5', null],
    ['UTC', null],
    ['Europe/Berln', 'unknown time zone "Europe/Berln" (use an IANA name such as Europe/Berlin)'],
    ['europe/berlin', 'time zone "europe/berlin" must be spelled as in the tz database: "Europe/Berlin"'],
  ])('zone name %s', (zone, problem) => {
    expect(zoneProblem(zone)).toBe(problem);
  });
});
