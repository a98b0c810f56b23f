// Work-calendar arithmetic: which days are workdays, and "N workdays after D".
// Around the days asked about, workdays are indexed once, so "N workdays after"
// and "workdays between" are array lookups rather than day-by-day loops.
import { type Day, isoWeekday, parseIsoDay, type WeekdayName, weekdayNumber } from './days.js';

/** Searches never look further than this; a calendar that needs more is broken. */
export const HORIZON_DAYS = 366 * 5;

/** The years a check made in `todayYear` can reach: the horizon, and a plan's steps a little past it (and yesterday's in another zone). */
export function reachedYears(todayYear: number): [number, number] {
  return [Math.max(1970, todayYear - 1), todayYear + 6];
}

export interface WorkCalendar {
  isWorkday(day: Day): boolean;
  /** A company holiday (closed whatever the weekday). */
  isHoliday(day: Day): boolean;
  /** N workdays after `day`, `day` itself excluded; `day` itself when n is 0. */
  addWorkdays(day: Day, n: number): Day;
  /** The first workday on or after `day`. */
  workdayOnOrAfter(day: Day): Day;
  /** Workdays strictly after `from` up to and including `to` (0 when to <= from). */
  workdaysBetween(from: Day, to: Day): number;
}

export function workCalendar(workdays: readonly WeekdayName[], holidays: readonly string[]): WorkCalendar {
  const open = new Array<boolean>(8).fill(false);
  for (const name of workdays) open[weekdayNumber(name)] = true;
  const closed = new Set<Day>();
  for (const h of holidays) {
    const day = parseIsoDay(h);
    if (day !== null) closed.add(day);
  }
  const isWorkday = (day: Day) => open[isoWeekday(day)] === true && !closed.has(day);

  // Index: count[i] = workdays in [start, start + i]; built around the first day asked.
  let start = 0;
  let count: Int32Array | null = null;
  const indexed = (day: Day, reach: number): boolean => {
    if (count === null) {
      start = day - 2 * 366;
      count = new Int32Array(2 * 366 + 2 * HORIZON_DAYS);
      let c = 0;
      for (let i = 0; i < count.length; i++) count[i] = c += isWorkday(start + i) ? 1 : 0;
    }
    return day >= start && day + reach < start + count.length;
  };

  const workdayOnOrAfter = (day: Day): Day => {
    for (let d = day, end = day + HORIZON_DAYS; d < end; d++) if (isWorkday(d)) return d;
    throw new Error(`no workday within ${HORIZON_DAYS} days`);
  };

  return {
    isWorkday,
    isHoliday: (day) => closed.has(day),
    workdayOnOrAfter,
    addWorkdays(day, n) {
      if (n === 0) return day;
      if (indexed(day, HORIZON_DAYS)) {
        // The first index whose count reaches count[day] + n is the answer.
        const c = count!;
        const target = c[day - start]! + n;
        let lo = day - start + 1;
        let hi = c.length - 1;
        if (c[hi]! >= target) {
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (c[mid]! >= target) hi = mid;
            else lo = mid + 1;
          }
          return start + lo;
        }
      }
      let d = day;
      for (let left = n; left > 0; left--) d = workdayOnOrAfter(d + 1);
      return d;
    },
    workdaysBetween(from, to) {
      if (to <= from) return 0;
      if (indexed(from, 0) && indexed(to, 0)) return count![to - start]! - count![from - start]!;
      let n = 0;
      for (let d = from + 1; d <= to; d++) if (isWorkday(d)) n++;
      return n;
    },
  };
}
