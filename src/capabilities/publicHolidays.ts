// calendar.public_holidays: [US, DE-BY, …] expanded from date-holidays (a
// maintained data set) into dates, for every year in calendar.years. Only type
// "public" counts: observances, bank and optional holidays are working days for
// a warehouse. date-holidays decides; where a company works on one of its
// holidays, or the data set and the law (or python `holidays`) disagree,
// calendar.not_holidays takes the date out. Runs when a file is validated (the parser bundle); the dates are
// cached with the file, so a check never loads the data set.
import Holidays from 'date-holidays';
import { closest } from '../core/closest.js';
import type { Capabilities } from './capabilitiesSchema.js';
import type { PathProblem } from './problem.js';

export interface PublicHoliday {
  date: string;
  name: string;
  /** The code it came from: US, DE-BY, … */
  code: string;
}

let codes: string[] | undefined;
/** Every country and country-subdivision code the data set knows. */
function knownCodes(): string[] {
  if (codes) return codes;
  const hd = new Holidays();
  codes = [];
  for (const country of Object.keys(hd.getCountries())) {
    codes.push(country);
    for (const state of Object.keys(hd.getStates(country) ?? {})) codes.push(`${country}-${state}`);
  }
  return codes;
}

/** The public holidays of the listed codes in the calendar's years, and the problems with the list. */
export function publicHolidays(caps: Capabilities): { holidays: PublicHoliday[]; problems: PathProblem[] } {
  const list = caps.calendar.public_holidays ?? [];
  const problems: PathProblem[] = [];
  const holidays: PublicHoliday[] = [];
  if (list.length === 0) {
    if ((caps.calendar.not_holidays ?? []).length > 0) {
      problems.push({ severity: 'warning', path: ['calendar', 'not_holidays'], message: 'takes dates out of calendar.public_holidays, which lists none' });
    }
    return { holidays, problems };
  }
  const years = caps.calendar.years;
  if (!years) {
    problems.push({
      severity: 'error',
      path: ['calendar', 'public_holidays'],
      message: 'needs calendar.years: the years whose public holidays apply (e.g. years: [2026, 2027])',
    });
    return { holidays, problems };
  }
  list.forEach((raw, i) => {
    const code = raw.trim().toUpperCase();
    if (!knownCodes().includes(code)) {
      // A known country with a mistyped subdivision: suggest that country's subdivisions.
      const country = code.split('-')[0]!;
      const sameCountry = code.includes('-') ? knownCodes().filter((c) => c.startsWith(`${country}-`)) : [];
      const near = closest(code, sameCountry.length > 0 ? sameCountry : knownCodes(), 4);
      const hint = near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : '';
      problems.push({ severity: 'error', path: ['calendar', 'public_holidays', i], message: `unknown country or subdivision "${raw}"${hint}` });
      return;
    }
    const [country, state] = code.split('-') as [string, string | undefined];
    const hd = state ? new Holidays(country, state) : new Holidays(country);
    for (const year of years) {
      for (const h of hd.getHolidays(year, 'en')) if (h.type === 'public') holidays.push({ date: h.date.slice(0, 10), name: h.name, code });
    }
  });
  holidays.sort((a, b) => a.date.localeCompare(b.date) || a.code.localeCompare(b.code));
  const worked = new Set(caps.calendar.not_holidays ?? []);
  (caps.calendar.not_holidays ?? []).forEach((date, i) => {
    const path = ['calendar', 'not_holidays', i];
    if (caps.calendar.holidays.includes(date)) {
      problems.push({ severity: 'error', path, message: `${date} is in calendar.holidays too: a day is either closed or worked` });
    } else if (!holidays.some((h) => h.date === date)) {
      problems.push({ severity: 'warning', path, message: `${date} is no public holiday of ${list.join(', ')}: nothing to take out` });
    }
  });
  return { holidays: holidays.filter((h) => !worked.has(h.date)), problems };
}

/** The company's own holidays with the public ones added, each date once, sorted. */
export function withPublicHolidays(caps: Capabilities, holidays: readonly PublicHoliday[]): Capabilities {
  if (holidays.length === 0) return caps;
  const all = [...new Set([...caps.calendar.holidays, ...holidays.map((h) => h.date)])].sort();
  return { ...caps, calendar: { ...caps.calendar, holidays: all } };
}
