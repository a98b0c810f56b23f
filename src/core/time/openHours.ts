// Opening hours: "24x7" or a weekly window such as "mon-fri 08:00-18:00", as a
// capability declares them and as a rep promises them.
import type { Hours } from '../../capabilities/capabilitiesSchema.js';
import { clockText, minuteOfDay } from './clock.js';
import { WEEKDAY_NAMES, type WeekdayName, weekdayNumber } from './days.js';

export type OpenHours =
  | { always: true }
  | {
      always: false;
      /** ISO weekdays 1..7 on which the window is open. */
      days: ReadonlySet<number>;
      /** Minutes since midnight; `to` may be 1440 (end of day). */
      from: number;
      to: number;
    };

export const ALWAYS: OpenHours = { always: true };

export function fromCapability(hours: Hours): OpenHours {
  if (hours === '24x7') return ALWAYS;
  return { always: false, days: new Set(hours.days.map(weekdayNumber)), from: minuteOfDay(hours.from), to: minuteOfDay(hours.to) };
}

const WINDOW = /^([a-z,-]+)\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** Parses a promised window; null when it is not one. "mon-sun 00:00-24:00" is 24x7. */
export function parseWindow(text: string): OpenHours | null {
  const t = text.trim().toLowerCase();
  if (t === '24x7' || t === '24/7') return ALWAYS;
  const m = WINDOW.exec(t);
  if (!m) return null;
  const days = new Set<number>();
  for (const part of m[1]!.split(',')) {
    const [a, b] = part.split('-');
    if (!isDay(a) || (b !== undefined && !isDay(b))) return null;
    const start = weekdayNumber(a);
    const end = b === undefined ? start : weekdayNumber(b);
    // A range may wrap the week end: fri-mon is fri, sat, sun, mon.
    for (let d = start, n = 0; n < 7; d = (d % 7) + 1, n++) {
      days.add(d);
      if (d === end) break;
    }
  }
  const [fh, fm, th, tm] = [m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number];
  const from = fh * 60 + fm;
  const to = th * 60 + tm;
  if (fh > 23 || fm > 59 || tm > 59 || to > 1440 || from >= to) return null;
  if (days.size === 7 && from === 0 && to === 1440) return ALWAYS;
  return { always: false, days, from, to };
}

const isDay = (s: string | undefined): s is WeekdayName => s !== undefined && (WEEKDAY_NAMES as readonly string[]).includes(s);

/** Is every open minute of `inner` also open in `outer`? */
export function within(inner: OpenHours, outer: OpenHours): boolean {
  if (outer.always) return true;
  if (inner.always) return false;
  return [...inner.days].every((d) => outer.days.has(d)) && inner.from >= outer.from && inner.to <= outer.to;
}

/** Back to the promise syntax, with day ranges folded: "mon-fri 07:00-19:00". */
export function windowText(h: OpenHours): string {
  if (h.always) return '24x7';
  const sorted = [...h.days].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const a = WEEKDAY_NAMES[sorted[i]! - 1]!;
    const b = WEEKDAY_NAMES[sorted[j]! - 1]!;
    runs.push(i === j ? a : `${a}-${b}`);
    i = j + 1;
  }
  return `${runs.join(',')} ${clockText(h.from)}-${clockText(h.to)}`;
}
