// Instants into local dates and clock times of a zone (luxon handles DST).
import { DateTime, IANAZone } from 'luxon';
import { type Day, dayOf } from './days.js';

export interface LocalTime {
  day: Day;
  /** Minutes since local midnight. */
  minute: number;
}

export const isValidZone = (zone: string): boolean => IANAZone.isValidZone(zone);

let last: { ms: number; zone: string; local: LocalTime } | undefined;

export function localTime(instant: Date, zone: string): LocalTime {
  // A batch asks for the same instant and zone for every line: remember the last.
  const ms = instant.getTime();
  if (last && last.ms === ms && last.zone === zone) return last.local;
  const t = DateTime.fromJSDate(instant, { zone });
  const local = { day: dayOf(t.year, t.month, t.day), minute: t.hour * 60 + t.minute };
  last = { ms, zone, local };
  return local;
}

/** "14:00" → 840. */
export function minuteOfDay(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

/** The instant as ISO 8601 with the zone's offset, e.g. 2026-11-23T10:00:00+01:00. */
export function isoInZone(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true })!;
}

/**
 * Parses --now. A date-time with an offset or Z is an instant; one without is read
 * as wall-clock time in the company zone (what a planner typing it means).
 */
export function parseNow(text: string, zone: string): Date | null {
  const t = DateTime.fromISO(text, { zone, setZone: false });
  return t.isValid ? t.toJSDate() : null;
}
