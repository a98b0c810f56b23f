// When is a response due? Business-hours arithmetic the way SLA tools count it:
// only open hours on open days run the clock, in the service's own time zone, with
// DST handled by luxon. A 24x7 service counts elapsed time (a DST night is an hour
// shorter or longer on the wall clock, not in the customer's wait).
import { DateTime } from 'luxon';
import { HORIZON_DAYS } from './calendar.js';
import { localTime } from './clock.js';
import { type Day, isoDay, isoWeekday } from './days.js';
import type { OpenHours } from './hours.js';

const HOUR_MS = 3_600_000;

export interface ServiceClock {
  hours: OpenHours;
  zone: string;
  /** Days the service is closed although its weekday is open. */
  closed: ReadonlySet<Day>;
}

/** null when the service is never open within the planning horizon. */
export function dueAt(request: Date, businessHours: number, clock: ServiceClock): Date | null {
  if (clock.hours.always) return new Date(request.getTime() + businessHours * HOUR_MS);
  const { from, to, days } = clock.hours;
  let left = Math.round(businessHours * HOUR_MS);
  let cursor = request.getTime();
  const firstDay = localTime(request, clock.zone).day;
  for (let day = firstDay; day < firstDay + HORIZON_DAYS; day++) {
    if (!days.has(isoWeekday(day)) || clock.closed.has(day)) continue;
    const open = instant(day, from, clock.zone);
    const close = instant(day, to, clock.zone);
    const start = Math.max(open, cursor);
    if (start >= close) continue;
    if (left <= close - start) return new Date(start + left);
    left -= close - start;
    cursor = close;
  }
  return null;
}

/** The instant of a local wall-clock minute (1440 is the next midnight). */
function instant(day: Day, minute: number, zone: string): number {
  if (minute === 1440) return DateTime.fromISO(isoDay(day + 1), { zone }).toMillis();
  return DateTime.fromISO(isoDay(day), { zone }).set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}
