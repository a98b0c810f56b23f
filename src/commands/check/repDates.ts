// Turns a typed date into YYYY-MM-DD in the company zone: the simple forms in the
// core, then chrono-node (loaded only when needed) for "5 December", "next friday".
import { localTime } from '../../core/time/clock.js';
import { dayOf, isoDay } from '../../core/time/days.js';
import { parseRepDate } from '../../core/time/repDate.js';

export async function resolveRepDate(text: string, now: Date, zone: string): Promise<string | null> {
  const today = localTime(now, zone).day;
  const simple = parseRepDate(text, today);
  if (simple !== null) return isoDay(simple);
  if (!/[a-z]/i.test(text) || text.length > 100) return null;
  const chrono = await import('chrono-node');
  const ref = new Date(`${isoDay(today)}T12:00:00Z`);
  const parsed = chrono.parse(text, ref, { forwardDate: true })[0]?.start;
  if (!parsed) return null;
  return isoDay(dayOf(parsed.get('year')!, parsed.get('month')!, parsed.get('day')!));
}
