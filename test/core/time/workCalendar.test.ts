import { describe, expect, it } from 'vitest';
import { orderDayAt } from '../../../src/core/delivery/plan.js';
import { localTime } from '../../../src/core/time/clock.js';
import { isoDay, parseIsoDay } from '../../../src/core/time/days.js';
import { workCalendar } from '../../../src/core/time/workCalendar.js';
import { berlin, model } from '../../helpers/model.js';

const d = (iso: string) => parseIsoDay(iso)!;
const cal = workCalendar(['mon', 'tue', 'wed', 'thu', 'fri'], ['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01']);

describe('days', () => {
  it.each([
    ['2026-02-30', null],
    ['2026-13-01', null],
    ['2026-2-3', null],
    ['2024-02-29', '2024-02-29'],
    ['2025-02-29', null],
    ['2026-12-31', '2026-12-31'],
  ])('parseIsoDay(%s)', (text, back) => {
    const day = parseIsoDay(text);
    expect(day === null ? null : isoDay(day)).toBe(back);
  });
});

describe('addWorkdays: N workdays after D, D excluded', () => {
  it.each([
    ['2026-11-23', 0, '2026-11-23', 'zero is the day itself'],
    ['2026-11-23', 1, '2026-11-24', 'Monday + 1'],
    ['2026-11-27', 1, '2026-11-30', 'Friday + 1 skips the weekend'],
    ['2026-11-28', 1, '2026-11-30', 'Saturday + 1 is Monday'],
    ['2026-12-23', 1, '2026-12-28', 'skips the Christmas holidays'],
    ['2026-12-30', 1, '2027-01-04', 'year end: skips New Year holidays and weekend'],
    ['2026-12-30', 3, '2027-01-06', 'into the new year'],
    ['2026-11-23', 10, '2026-12-07', 'two weeks'],
  ])('%s + %i = %s (%s)', (from, n, to) => {
    expect(isoDay(cal.addWorkdays(d(from), n))).toBe(to);
  });

  it('spare days count workdays strictly after up to and including', () => {
    expect(cal.workdaysBetween(d('2026-11-26'), d('2026-12-04'))).toBe(6);
    expect(cal.workdaysBetween(d('2026-12-04'), d('2026-12-04'))).toBe(0);
    expect(cal.workdaysBetween(d('2026-12-22'), d('2026-12-28'))).toBe(2); // 23rd and 28th
  });
});

describe('order day and cut-off', () => {
  const m = model(); // cutoff 14:00, Mon-Fri, holiday 2026-12-25
  const cutoff = 14 * 60;
  it.each([
    ['2026-11-23T13:59', '2026-11-23', 'before the cut-off: today'],
    ['2026-11-23T14:00', '2026-11-24', 'at the cut-off: next workday'],
    ['2026-11-27T16:00', '2026-11-30', 'Friday after cut-off: Monday'],
    ['2026-11-28T09:00', '2026-11-30', 'Saturday: Monday'],
    ['2026-12-24T09:00', '2026-12-24', 'a workday before Christmas'],
    ['2026-12-25T09:00', '2026-12-28', 'holiday: next workday'],
    ['2026-03-29T09:00', '2026-03-30', 'DST start Sunday'],
    ['2026-03-30T13:30', '2026-03-30', 'the Monday after DST start, local time'],
    ['2026-10-26T13:30', '2026-10-26', 'the Monday after DST end, local time'],
  ])('%s → %s (%s)', (local, expected) => {
    expect(isoDay(orderDayAt(m, cutoff, localTime(berlin(local), 'Europe/Berlin')))).toBe(expected);
  });

  it('reads the instant in the company zone, not UTC', () => {
    // 23:30 UTC on Sunday is already Monday 00:30 in Berlin.
    expect(localTime(new Date('2026-11-22T23:30:00Z'), 'Europe/Berlin')).toEqual({ day: d('2026-11-23'), minute: 30 });
    // In summer Berlin is UTC+2.
    expect(localTime(new Date('2026-07-01T11:59:00Z'), 'Europe/Berlin').minute).toBe(13 * 60 + 59);
  });
});

describe('isoDay round trip', () => {
  it('matches Date for every day from 1970 to 2100', () => {
    for (let day = 0; day < 47_482; day++) {
      expect(isoDay(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
      if (day % 997 === 0) expect(parseIsoDay(isoDay(day))).toBe(day);
    }
  });
});

describe('the index, filled only as far as a question reaches', () => {
  it('answers as counting day by day, whatever order the questions come in (backwards, far ahead, past the index)', () => {
    const holidays = ['2026-12-24', '2026-12-25', '2027-04-02', '2028-05-01', '2031-01-01'];
    const open = [1, 2, 3, 4, 5];
    const closed = new Set(holidays.map(d));
    const isWorkday = (day: number) => open.includes(((((day + 3) % 7) + 7) % 7) + 1) && !closed.has(day);
    const naiveAdd = (day: number, n: number) => {
      let x = day;
      for (let left = n; left > 0; left--)
        do x++;
        while (!isWorkday(x));
      return x;
    };
    const naiveBetween = (from: number, to: number) => {
      let n = 0;
      for (let x = from + 1; x <= to; x++) if (isWorkday(x)) n++;
      return n;
    };
    let seed = 25;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    for (let round = 0; round < 20; round++) {
      const c = workCalendar(['mon', 'tue', 'wed', 'thu', 'fri'], holidays);
      const first = d('2026-11-23');
      for (let q = 0; q < 60; q++) {
        // Days from three years before the first question to six after: before the index, in it, past it.
        const day = first - 3 * 366 + random(9 * 366);
        const n = random(q % 7 === 0 ? 1500 : 40);
        expect(c.addWorkdays(day, n), `${isoDay(day)} + ${n}`).toBe(naiveAdd(day, n));
        const to = day + random(q % 5 === 0 ? 2000 : 60);
        expect(c.workdaysBetween(day, to), `${isoDay(day)} .. ${isoDay(to)}`).toBe(naiveBetween(day, to));
      }
    }
  });
});
