// Instants into local dates and clock times of a zone, and back.
//
// The zone rules are ICU's, read through Date: while process.env.TZ names a zone,
// Node points V8's local time at it, and Date's local getters and constructor
// answer there (with the ECMAScript rules for DST gaps and repeated hours). That
// costs microseconds, where the first Intl.DateTimeFormat with a time zone costs
// ~14 ms, more than the rest of a check. Every function restores TZ before it
// returns, so nothing outside this file sees the switch. TZ takes tz database
// names exactly as spelled (Intl also takes "europe/berlin"), so validation uses
// zoneProblem() to admit only names both read alike.
import { type Day, dayOf, isoDay, localDayOf, parseIsoDay } from './days.js';

export interface LocalTime {
  day: Day;
  /** Minutes since local midnight. */
  minute: number;
}

function inZone<T>(zone: string, read: () => T): T {
  const saved = process.env.TZ;
  if (saved === zone) return read();
  process.env.TZ = zone;
  try {
    return read();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

let last: { ms: number; zone: string; local: LocalTime } | undefined;

export function localTime(instant: Date, zone: string): LocalTime {
  // A batch asks for the same instant and zone for every line: remember the last.
  const ms = instant.getTime();
  if (last && last.ms === ms && last.zone === zone) return last.local;
  const local = inZone(zone, () => ({
    day: localDayOf(instant),
    minute: instant.getHours() * 60 + instant.getMinutes(),
  }));
  last = { ms, zone, local };
  return local;
}

/**
 * The instant of a local wall-clock minute (1440 is the next midnight). A minute
 * skipped by a DST change counts as that long after the change; a repeated one is
 * its first occurrence.
 */
export function instantAt(day: Day, minute: number, zone: string): number {
  const civil = new Date(day * 86_400_000);
  return inZone(zone, () => new Date(civil.getUTCFullYear(), civil.getUTCMonth(), civil.getUTCDate(), 0, minute).getTime());
}

/** "14:00" → 840. */
export function minuteOfDay(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

const two = (n: number) => String(n).padStart(2, '0');

/** 840 → "14:00": the inverse of minuteOfDay. */
export const clockText = (minute: number): string => `${two(Math.floor(minute / 60))}:${two(minute % 60)}`;

/** The instant as ISO 8601 with the zone's offset, e.g. 2026-11-23T10:00:00+01:00. */
export function isoInZone(t: Date, zone: string): string {
  return inZone(zone, () => {
    const offset = -t.getTimezoneOffset();
    const ms = t.getMilliseconds();
    const sign = offset < 0 ? '-' : '+';
    return (
      `${isoDay(localDayOf(t))}T${clockText(t.getHours() * 60 + t.getMinutes())}:${two(t.getSeconds())}` +
      `${ms ? `.${String(ms).padStart(3, '0')}` : ''}${sign}${clockText(Math.abs(offset))}`
    );
  });
}

/**
 * The instant one invocation runs at. A --now without offset is wall-clock time in
 * the company zone, which is known only once the capabilities file is read: the
 * instant is asked for with that zone, so loading, validating and checking all
 * see the same one (the system clock is read once, when the clock is made).
 */
export interface Clock {
  at(zone: string): Date;
}

/** The instant of a clock, or a fixed instant (a recorded check's now, a test's). */
export const instantIn = (when: Clock | Date, zone: string): Date => (when instanceof Date ? when : when.at(zone));

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/i;

/**
 * The fields of an ISO 8601 date-time, or why it is not one: parseNow without the
 * zone (checking 300,000 stock rows' as_of must not switch zones 300,000 times).
 */
export function isoDateTimeFields(text: string) {
  const bad = 'is not an ISO 8601 date-time (e.g. 2026-11-23T10:00)';
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return bad;
  const [, date, h = 0, min = 0, s = 0, fraction = '0', z, sign, oh = 0, om = 0] = m;
  if (Number(date!.slice(0, 4)) < 1970) return 'is before 1970: dates start on 1970-01-01';
  const day = parseIsoDay(date!);
  if (day === null || +h > 23 || +min > 59 || +s > 59 || +oh > 23 || +om > 59) return bad;
  return { day, h, min, s, fraction, z, sign, oh, om };
}

/**
 * Parses --now. A date-time with an offset or Z is an instant; one without is read
 * as wall-clock time in the company zone (what a planner typing it means). A date
 * alone is that day's midnight. Nothing before 1970: the tool's days start there.
 * Returns why it is not one when it is not.
 */
export function parseNow(text: string, zone: string): Date | string {
  const fields = isoDateTimeFields(text);
  if (typeof fields === 'string') return fields;
  const { day, h, min, s, fraction, z, sign, oh, om } = fields;
  const minute = +h * 60 + +min;
  const rest = +s * 1000 + Math.floor(Number(`0.${fraction}`) * 1000);
  if (!z && !sign) return new Date(instantAt(day, minute, zone) + rest);
  const offset = sign ? (sign === '-' ? -1 : 1) * (+oh * 60 + +om) : 0;
  return new Date((day * 1440 + minute - offset) * 60_000 + rest);
}

/** Sample instants, Januaries and Julys 2000–2050, where a zone's rules must agree. */
const SAMPLES = Array.from({ length: 22 }, (_, i) => Date.UTC(2000 + 5 * Math.floor(i / 2), (i % 2) * 6, 1, 12));

/**
 * Why a capabilities file may not use this zone name, or null. Intl is the judge
 * of what exists; TZ must read the name as Intl does (validation only: Intl is slow
 * to start).
 */
export function zoneProblem(zone: string): string | null {
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return `unknown time zone "${zone}" (use an IANA name such as Europe/Berlin)`;
  }
  const wall = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const agrees = SAMPLES.every((ms) => {
    const local = localTime(new Date(ms), zone);
    const p = Object.fromEntries(wall.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
    return local.day === dayOf(p.year!, p.month!, p.day!) && local.minute === p.hour! * 60 + p.minute!;
  });
  return agrees ? null : `time zone "${zone}" must be spelled as in the tz database: "${canonical}"`;
}
