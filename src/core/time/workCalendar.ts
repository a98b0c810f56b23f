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

  // Index: count[i] = workdays in [start, start + i]; placed around the first day asked, and
  // filled only as far as a question reaches: one check asks about a few weeks (its 4,392 days
  // cost a 40 ms run ~1-2 ms, all in interpreted code), a batch about the whole horizon.
  let start = 0;
  let count: Int32Array | null = null;
  let filled = 0; // count[0 .. filled) are set
  const indexed = (day: Day, reach: number): boolean => {
    if (count === null) {
      start = day - 2 * 366;
      count = new Int32Array(2 * 366 + 2 * HORIZON_DAYS);
    }
    return day >= start && day + reach < start + count.length;
  };
  /** Fills the index up to and including `i` (< its length). */
  const fill = (i: number): void => {
    const c = count!;
    let n = filled === 0 ? 0 : c[filled - 1]!;
    for (; filled <= i; filled++) c[filled] = n += isWorkday(start + filled) ? 1 : 0;
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
        // The first index whose count reaches count[day] + n is the answer: filled a month at a
        // time until the count gets there or the index ends.
        const c = count!;
        fill(day - start);
        const target = c[day - start]! + n;
        while (c[filled - 1]! < target && filled < c.length) fill(Math.min(c.length - 1, filled + 31));
        let lo = day - start + 1;
        let hi = filled - 1;
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
      if (indexed(from, 0) && indexed(to, 0)) {
        fill(to - start);
        return count![to - start]! - count![from - start]!;
      }
      let n = 0;
      for (let d = from + 1; d <= to; d++) if (isWorkday(d)) n++;
      return n;
    },
  };
}
