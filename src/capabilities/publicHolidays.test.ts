// Public holidays from the data set, worked by hand against the calendar and a check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers/cli.js';
import { company } from '../../test/helpers/company.js';
import { capabilities } from '../../test/helpers/model.js';
import { check } from '../core/checkPromise.js';
import { Ledger } from '../core/commitments/ledger.js';
import { compileAll } from '../core/model.js';
import { parseIsoDay } from '../core/time/days.js';
import { parseCapabilities } from './load.js';
import { publicHolidays, withPublicHolidays } from './publicHolidays.js';

const workday = (caps: ReturnType<typeof capabilities>, date: string) => {
  const expanded = withPublicHolidays(caps, publicHolidays(caps).holidays);
  return compileAll(expanded).calendar.isWorkday(parseIsoDay(date)!);
};

describe('calendar.public_holidays', () => {
  it('US Thanksgiving (Thu 26 Nov 2026) moves a delivery to the Friday', () => {
    const { model, now } = company('newyork', '2026-11-24T09:00');
    // Order Tue 24, handling 1 → ships Wed 25, truck 1 workday: Thu 26 is Thanksgiving → Fri 27.
    const r = check(model, { kind: 'delivery', sku: 'VALVE-2', qty: 10, to: 'NY', by: '2026-11-30' }, new Ledger(), now);
    expect(r.plan).toMatchObject({ ship_date: '2026-11-25', delivery_date: '2026-11-27', spare_days: 2 }); // Sat 28, Mon 30
  });

  it('DE-BY keeps Epiphany and Corpus Christi, DE-BE does not; both keep Christmas', () => {
    const bavaria = capabilities((raw) => Object.assign(raw.calendar, { years: [2026, 2027], public_holidays: ['DE-BY'] }));
    const berlin = capabilities((raw) => Object.assign(raw.calendar, { years: [2026, 2027], public_holidays: ['DE-BE'] }));
    expect([workday(bavaria, '2027-01-06'), workday(berlin, '2027-01-06')]).toEqual([false, true]);
    expect([workday(bavaria, '2026-06-04'), workday(berlin, '2026-06-04')]).toEqual([false, true]);
    expect([workday(bavaria, '2027-03-08'), workday(berlin, '2027-03-08')]).toEqual([true, false]); // Berlin: Women's Day
    expect([workday(bavaria, '2026-12-25'), workday(berlin, '2026-12-25')]).toEqual([false, false]);
  });

  it('calendar.not_holidays takes a public holiday out: CA-ON Easter Monday, which Ontario does not close for (issue 22)', () => {
    const listed = capabilities((raw) => Object.assign(raw.calendar, { years: [2026, 2027], public_holidays: ['CA-ON'] }));
    expect(workday(listed, '2026-04-06')).toBe(false); // date-holidays lists it
    const worked = capabilities((raw) => Object.assign(raw.calendar, { years: [2026, 2027], public_holidays: ['CA-ON'], not_holidays: ['2026-04-06'] }));
    expect(workday(worked, '2026-04-06')).toBe(true);
    expect(workday(worked, '2026-04-03')).toBe(false); // Good Friday stays
    expect(publicHolidays(worked).holidays.some((h) => h.date === '2026-04-06')).toBe(false);
    expect(publicHolidays(worked).problems).toEqual([]);
  });

  it('calendar.not_holidays: a date that is no public holiday warns; one that is also in holidays is an error', () => {
    const stray = capabilities((raw) => Object.assign(raw.calendar, { years: [2026, 2027], public_holidays: ['CA-ON'], not_holidays: ['2026-04-07'] }));
    expect(publicHolidays(stray).problems).toEqual([
      { severity: 'warning', path: ['calendar', 'not_holidays', 0], message: '2026-04-07 is no public holiday of CA-ON: nothing to take out' },
    ]);
    const both = capabilities((raw) =>
      Object.assign(raw.calendar, { years: [2026, 2027], public_holidays: ['CA-ON'], holidays: ['2026-04-06'], not_holidays: ['2026-04-06'] }),
    );
    expect(publicHolidays(both).problems).toEqual([
      { severity: 'error', path: ['calendar', 'not_holidays', 0], message: '2026-04-06 is in calendar.holidays too: a day is either closed or worked' },
    ]);
  });

  it('only type "public", and only the years in calendar.years', () => {
    const us = capabilities((raw) => Object.assign(raw.calendar, { years: [2026, 2027], public_holidays: ['us'] }));
    const { holidays } = publicHolidays(us);
    expect(holidays.find((h) => h.date === '2026-11-26')).toEqual({ date: '2026-11-26', name: 'Thanksgiving Day', code: 'US' });
    expect(holidays.some((h) => h.date === '2026-02-14')).toBe(false); // Valentine's Day is an observance
    expect(holidays.some((h) => h.date.startsWith('2028'))).toBe(false);
    expect(workday(us, '2028-11-23')).toBe(true); // Thanksgiving 2028: outside the years, not covered
  });

  it('merged with the company’s own holidays, and kept with their names when the file is loaded', () => {
    const file = fixture('companies/newyork.yaml');
    const loaded = parseCapabilities(readFileSync(file, 'utf8'), file, new Date('2026-11-23T12:00:00Z'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.value.caps.calendar.holidays).toEqual(expect.arrayContaining(['2026-11-26', '2026-12-24', '2026-12-25', '2027-07-05']));
    expect(loaded.value.publicHolidays).toContainEqual({ date: '2027-07-05', name: 'Independence Day (substitute day)', code: 'US' });
  });
});
