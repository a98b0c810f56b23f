import { describe, expect, it } from 'vitest';
import { isoInZone } from '../../../src/core/time/clock.js';
import { parseIsoDay } from '../../../src/core/time/days.js';
import { dueAt, type ServiceClock } from '../../../src/core/time/due.js';
import { ALWAYS, parseWindow } from '../../../src/core/time/openHours.js';
import { berlin } from '../../helpers/model.js';

const ZONE = 'Europe/Berlin';
const office: ServiceClock = {
  hours: parseWindow('mon-fri 08:00-18:00')!,
  zone: ZONE,
  closed: new Set(['2026-12-24', '2026-12-25', '2026-12-26'].map((d) => parseIsoDay(d)!)),
};
const due = (local: string, hours: number, clock: ServiceClock) => isoInZone(dueAt(berlin(local), hours, clock)!, clock.zone);

describe('response due time in business hours', () => {
  it.each([
    ['2026-11-27T17:30', 8, '2026-11-30T15:30:00+01:00', 'Friday 17:30: half an hour Friday, 7.5 h Monday'],
    ['2026-11-24T02:00', 8, '2026-11-24T16:00:00+01:00', 'a request in the night starts at opening'],
    ['2026-12-25T10:00', 8, '2026-12-28T16:00:00+01:00', 'a request on a holiday starts on the next open day'],
    ['2026-12-23T15:00', 8, '2026-12-28T13:00:00+01:00', 'holidays in the middle do not count'],
    ['2026-11-23T10:00', 8, '2026-11-23T18:00:00+01:00', 'exactly to closing time'],
    ['2026-11-23T18:00', 1, '2026-11-24T09:00:00+01:00', 'at closing time: the next morning'],
    ['2026-11-28T12:00', 10, '2026-11-30T18:00:00+01:00', 'a weekend request: all of Monday'],
  ])('%s + %i h = %s (%s)', (local, hours, expected) => {
    expect(due(local, hours, office)).toBe(expected);
  });

  it('24x7 counts elapsed time across the DST change (October: the night has 25 hours)', () => {
    const clock: ServiceClock = { hours: ALWAYS, zone: ZONE, closed: new Set() };
    // Sat 24 Oct 22:00 CEST + 8 h elapsed = Sun 25 Oct 05:00 CET (06:00 on the old clock).
    expect(due('2026-10-24T22:00', 8, clock)).toBe('2026-10-25T05:00:00+01:00');
    // Spring: Sat 28 Mar 22:00 CET + 8 h = Sun 29 Mar 07:00 CEST.
    expect(due('2026-03-28T22:00', 8, clock)).toBe('2026-03-29T07:00:00+02:00');
  });

  it('a day-window service on a DST day counts the real hours of that day', () => {
    const allDay: ServiceClock = { hours: parseWindow('mon-sun 00:00-23:59')!, zone: ZONE, closed: new Set() };
    // 25 Oct 2026 has 25 hours: 23 business hours from local midnight end at 22:00 local.
    expect(due('2026-10-25T00:00', 23, allDay)).toBe('2026-10-25T22:00:00+01:00');
    // Office hours on the Monday after the change are plain local time.
    expect(due('2026-10-26T07:00', 2, office)).toBe('2026-10-26T10:00:00+01:00');
  });

  it('in the service zone, not the company zone', () => {
    const ny: ServiceClock = { hours: parseWindow('mon-fri 09:00-17:00')!, zone: 'America/New_York', closed: new Set() };
    // Monday 10:00 in Berlin is 04:00 in New York: the clock starts at 09:00 there.
    expect(due('2026-11-23T10:00', 2, ny)).toBe('2026-11-23T11:00:00-05:00');
  });
});

describe('hours windows', () => {
  it.each([
    ['24x7', '24x7'],
    ['mon-fri 08:00-18:00', 'mon-fri 08:00-18:00'],
    ['mon,wed,fri 09:00-12:00', 'mon,wed,fri 09:00-12:00'],
    ['fri-mon 10:00-14:00', 'mon,fri-sun 10:00-14:00'],
    ['mon-sun 00:00-24:00', '24x7'],
  ])('%s', async (text, back) => {
    const { windowText } = await import('../../../src/core/time/openHours.js');
    expect(windowText(parseWindow(text)!)).toBe(back);
  });
  it.each(['mon-fri 18:00-08:00', 'mon-fri 25:00-26:00', 'weekdays 08:00-18:00', 'mon-fri', ''])('rejects %j', (text) => {
    expect(parseWindow(text)).toBeNull();
  });
});
