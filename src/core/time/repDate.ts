// Dates as reps type them: 2026-12-04, today, tomorrow, +10d, +3w, friday (the
// coming one, today excluded). Anything else ("next friday", "5 December") is left
// to natural-language parsing at the edge (cli/dates.ts).
import { type Day, isoWeekday, parseIsoDay, WEEKDAY_NAMES } from './days.js';

const FULL_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

export function parseRepDate(text: string, today: Day): Day | null {
  const t = text.trim().toLowerCase();
  const iso = parseIsoDay(t);
  if (iso !== null) return iso;
  if (t === 'today') return today;
  if (t === 'tomorrow') return today + 1;
  const rel = /^\+(\d{1,4})\s*(d|w)$/.exec(t);
  if (rel) return today + Number(rel[1]) * (rel[2] === 'w' ? 7 : 1);
  const weekday = FULL_NAMES.indexOf(t) + 1 || (WEEKDAY_NAMES as readonly string[]).indexOf(t) + 1;
  if (weekday > 0) {
    let ahead = (weekday - isoWeekday(today) + 7) % 7;
    if (ahead === 0) ahead = 7;
    return today + ahead;
  }
  return null;
}
