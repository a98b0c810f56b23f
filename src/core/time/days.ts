// Calendar days as integers (days since 1970-01-01). Day arithmetic never needs a
// time zone: the zone only matters when an instant becomes a local date
// (see clock.ts). Integers keep ATP and calendar loops allocation-free.

export type Day = number;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isRealIsoDate(text: string): boolean {
  return parseIsoDay(text) !== null;
}

/** Dates parsed so far: a batch's lines name the same few dates, each parsed several times a check. Bounded. */
const parsedDays = new Map<string, Day | null>();
const DAYS_KEPT = 4096;

/** "2026-12-05" → day number; null for malformed or impossible dates (2026-02-30). */
export function parseIsoDay(text: string): Day | null {
  let day = parsedDays.get(text);
  if (day === undefined) {
    day = parseDay(text);
    if (parsedDays.size < DAYS_KEPT) parsedDays.set(text, day);
  }
  return day;
}

function parseDay(text: string): Day | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.floor(ms / MS_PER_DAY);
}

/** Day number → "YYYY-MM-DD" (civil-from-days, no Date allocation: it runs per reason). */
export function isoDay(day: Day): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function dayOf(year: number, month: number, date: number): Day {
  return Math.floor(Date.UTC(year, month - 1, date) / MS_PER_DAY);
}

/** The day a Date shows on the wall clock of the process's current zone (TZ). */
export const localDayOf = (t: Date): Day => dayOf(t.getFullYear(), t.getMonth() + 1, t.getDate());

export function yearOf(day: Day): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** ISO weekday: 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
export function isoWeekday(day: Day): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** The Monday that starts day's Monday-to-Sunday week. */
export function weekStart(day: Day): Day {
  return day - (isoWeekday(day) - 1);
}

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];
export const weekdayNumber = (name: WeekdayName): number => WEEKDAY_NAMES.indexOf(name) + 1;
