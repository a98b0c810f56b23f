// When is a response due? Business-hours arithmetic the way SLA tools count it:
// only open hours on open days run the clock, in the service's own time zone, with
// DST handled by clock.ts. A 24x7 service counts elapsed time (a DST night is an hour
// shorter or longer on the wall clock, not in the customer's wait).

import { instantAt, localTime } from './clock.js';
import { type Day, isoWeekday } from './days.js';
import type { OpenHours } from './openHours.js';
import { HORIZON_DAYS } from './workCalendar.js';

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
    const open = instantAt(day, from, clock.zone);
    const close = instantAt(day, to, clock.zone);
    const start = Math.max(open, cursor);
    if (start >= close) continue;
    if (left <= close - start) return new Date(start + left);
    left -= close - start;
    cursor = close;
  }
  return null;
}
