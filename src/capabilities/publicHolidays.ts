// calendar.public_holidays: [US, DE-BY, …] expanded from date-holidays (a
// maintained data set) into dates, for every year in calendar.years. Only type
// "public" counts: observances, bank and optional holidays are working days for
// a warehouse. date-holidays decides; where a company works on one of its
// holidays, or the data set and the law (or python `holidays`) disagree,
// calendar.not_holidays takes the date out. Runs when a file is validated (the parser bundle); the dates are
// cached with the file, so a check never loads the data set.
import Holidays from 'date-holidays';
import { closest } from '../core/closest.js';
import { type ExpandedCalendars, holidaysUntil, type Policy } from '../core/model.js';
import { reachedYears } from '../core/time/workCalendar.js';
import type { Capabilities } from './capabilitiesSchema.js';
import type { PathKey, PathProblem } from './problem.js';

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

/**
 * The company's public holidays in the calendar's years and, given today's year,
 * every year a check from today reaches (COMMITMENTS.md: no day's holiday status
 * silently unknown); and the problems with the list.
 */
export function publicHolidays(caps: Capabilities, todayYear?: number): { holidays: PublicHoliday[]; problems: PathProblem[] } {
  const list = caps.calendar.public_holidays ?? [];
  if (list.length > 0 && !caps.calendar.years) {
    return {
      holidays: [],
      problems: [
        {
          severity: 'error',
          path: ['calendar', 'public_holidays'],
          message: 'needs calendar.years: the years whose public holidays apply (e.g. years: [2026, 2027])',
        },
      ],
    };
  }
  return expandList(list, caps.calendar.not_holidays ?? [], caps.calendar.holidays, yearsOf(caps, todayYear), ['calendar']);
}

function yearsOf(caps: Capabilities, todayYear: number | undefined): number[] {
  const years = new Set(caps.calendar.years ?? []);
  if (todayYear !== undefined) {
    const [from, to] = reachedYears(todayYear);
    for (let y = from; y <= to; y++) years.add(y);
  }
  return [...years].sort((a, b) => a - b);
}

function expandList(
  list: readonly string[],
  notHolidays: readonly string[],
  handTyped: readonly string[],
  years: readonly number[],
  at: PathKey[],
): { holidays: PublicHoliday[]; problems: PathProblem[] } {
  const problems: PathProblem[] = [];
  const holidays: PublicHoliday[] = [];
  if (list.length === 0) {
    if (notHolidays.length > 0) {
      problems.push({ severity: 'warning', path: [...at, 'not_holidays'], message: `takes dates out of ${dotted(at)}.public_holidays, which lists none` });
    }
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
      problems.push({ severity: 'error', path: [...at, 'public_holidays', i], message: `unknown country or subdivision "${raw}"${hint}` });
      return;
    }
    const [country, state] = code.split('-') as [string, string | undefined];
    const hd = state ? new Holidays(country, state) : new Holidays(country);
    for (const year of years) {
      for (const h of hd.getHolidays(year, 'en')) if (h.type === 'public') holidays.push({ date: h.date.slice(0, 10), name: h.name, code });
    }
  });
  holidays.sort((a, b) => a.date.localeCompare(b.date) || a.code.localeCompare(b.code));
  const worked = new Set(notHolidays);
  notHolidays.forEach((date, i) => {
    const path = [...at, 'not_holidays', i];
    if (handTyped.includes(date)) {
      problems.push({ severity: 'error', path, message: `${date} is in ${dotted(at)}.holidays too: a day is either closed or worked` });
    } else if (!holidays.some((h) => h.date === date)) {
      problems.push({ severity: 'warning', path, message: `${date} is no public holiday of ${list.join(', ')}: nothing to take out` });
    }
  });
  return { holidays: holidays.filter((h) => !worked.has(h.date)), problems };
}

const dotted = (at: PathKey[]): string => at.join('.');

const merge = (handTyped: readonly string[], holidays: readonly PublicHoliday[]): string[] =>
  [...new Set([...handTyped, ...holidays.map((h) => h.date)])].sort();

/** The company's own holidays with the public ones added, each date once, sorted. */
export function withPublicHolidays(caps: Capabilities, holidays: readonly PublicHoliday[]): Capabilities {
  if (holidays.length === 0) return caps;
  return { ...caps, calendar: { ...caps.calendar, holidays: merge(caps.calendar.holidays, holidays) } };
}

/**
 * The whole file's calendars as checks read them (COMMITMENTS.md "Each site on
 * its own clock and calendar"): the company's holidays with its public ones, and
 * each location that lists holidays, public holidays or not-holidays of its own
 * with its own merged list (a field it leaves out is the company's). Records the
 * years expanded (a check reaching past them validates again) and the last year
 * of every hand-typed list, which the merged lists no longer tell.
 */
export function expandCalendars(
  caps: Capabilities,
  todayYear: number | undefined,
): { caps: Policy & Capabilities; holidays: PublicHoliday[]; problems: PathProblem[] } {
  const company = publicHolidays(caps, todayYear);
  const problems = [...company.problems];
  const years = yearsOf(caps, todayYear);
  const until: Record<string, number | null> = {};
  let anyPublic = (caps.calendar.public_holidays ?? []).length > 0;
  const locations = caps.locations.map((loc, i) => {
    const own = loc.calendar;
    if (!own || (own.holidays === undefined && own.public_holidays === undefined && own.not_holidays === undefined)) return loc;
    const handTyped = own.holidays ?? caps.calendar.holidays;
    const list = own.public_holidays ?? caps.calendar.public_holidays ?? [];
    anyPublic ||= list.length > 0;
    const mine = expandList(list, own.not_holidays ?? caps.calendar.not_holidays ?? [], handTyped, years, ['locations', i, 'calendar']);
    // The company's list was judged already: only a location's own fields are its problems.
    if (own.public_holidays !== undefined || own.not_holidays !== undefined) problems.push(...mine.problems);
    if (own.holidays !== undefined) until[loc.id] = holidaysUntil(own.holidays, undefined);
    return { ...loc, calendar: { ...own, holidays: merge(handTyped, mine.holidays) } };
  });
  const expanded: ExpandedCalendars = {
    years: anyPublic && years.length > 0 ? [years[0]!, years.at(-1)!] : null,
    holidaysUntil: { company: holidaysUntil(caps.calendar.holidays, caps.calendar.years), locations: until },
  };
  return { caps: { ...withPublicHolidays(caps, company.holidays), locations, expanded }, holidays: company.holidays, problems };
}
