// Work-calendar arithmetic: which days are workdays, and "N workdays after D".
import { type Day, isoWeekday, parseIsoDay, weekdayNumber, type WeekdayName } from './days.js';

/** Searches never look further than this; a calendar that needs more is broken. */
export const HORIZON_DAYS = 366 * 5;

export interface WorkCalendar {
  isWorkday(day: Day): boolean;
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

  const workdayOnOrAfter = (day: Day): Day => {
    for (let d = day, end = day + HORIZON_DAYS; d < end; d++) if (isWorkday(d)) return d;
    throw new Error(`no workday within ${HORIZON_DAYS} days`);
  };

  return {
    isWorkday,
    workdayOnOrAfter,
    addWorkdays(day, n) {
      let d = day;
      for (let left = n; left > 0; left--) d = workdayOnOrAfter(d + 1);
      return d;
    },
    workdaysBetween(from, to) {
      let count = 0;
      for (let d = from + 1; d <= to; d++) if (isWorkday(d)) count++;
      return count;
    },
  };
}
