// The guided questions of `promise init`, with the defaults a new company most
// likely wants: the machine's zone, the country that zone lies in (for public
// holidays), Monday to Friday. Loaded only at a terminal.
import { checkbox, confirm, input, number, search, select } from '@inquirer/prompts';
import Holidays from 'date-holidays';
import { zoneProblem } from '../../core/time/clock.js';
import { WEEKDAY_NAMES } from '../../core/time/days.js';
import type { Answers, Lane } from './template.js';

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const id = (v: string) => ID.test(v) || 'letters, digits, - _ . (no spaces)';

/** The country whose time zones include `zone`, if the data set says so. */
function countryOf(zone: string): string | null {
  const hd = new Holidays();
  for (const country of Object.keys(hd.getCountries())) if ((new Holidays(country).getTimezones() ?? []).includes(zone)) return country;
  return null;
}

export async function ask(systemZone: string, year: number): Promise<Answers> {
  const company = await input({ message: 'Company name', default: 'My Company', validate: (v) => v.trim() !== '' || 'a name, please' });
  const timezone = await input({ message: 'Time zone (IANA)', default: systemZone, validate: (v) => zoneProblem(v) ?? true });
  const workdays = await checkbox({
    message: 'Workdays',
    choices: WEEKDAY_NAMES.map((d) => ({ value: d, name: d, checked: !['sat', 'sun'].includes(d) })),
    validate: (v) => v.length > 0 || 'at least one day',
  });
  const hd = new Holidays();
  const countries = Object.entries(hd.getCountries()).map(([code, name]) => ({ value: code, name: `${code} — ${name}` }));
  const guess = countryOf(timezone);
  const none = { value: '', name: 'none: list holidays by hand' };
  const country = await search({
    message: `Public holidays of which country?${guess ? ` (${guess} for ${timezone}: press enter)` : ''}`,
    source: (term) => {
      const t = (term ?? '').toLowerCase();
      const found = countries.filter((c) => c.name.toLowerCase().includes(t));
      const first = guess && !t ? found.filter((c) => c.value === guess) : [];
      return [...first, ...found.filter((c) => !first.includes(c)), none];
    },
  });
  let publicHolidays: string | null = country || null;
  const states = country ? Object.entries(hd.getStates(country) ?? {}) : [];
  if (country && states.length > 0) {
    const state = await select({
      message: 'Which part of it?',
      choices: [
        { value: '', name: `all of ${country} (national holidays only)` },
        ...states.map(([code, name]) => ({ value: code, name: `${country}-${code} — ${name}` })),
      ],
    });
    if (state) publicHolidays = `${country}-${state}`;
  }

  const locations: Answers['locations'] = [];
  do {
    const n = locations.length + 1;
    const locId = await input({
      message: `Location ${n}: id`,
      default: n === 1 ? 'main' : `site${n}`,
      validate: (v) => (id(v) === true && !locations.some((l) => l.id === v) ? true : 'a new id: letters, digits, - _ .'),
    });
    const name = await input({ message: `Location ${n}: name`, default: locId });
    const cutoff = await input({ message: 'Order cut-off (HH:MM)', default: '14:00', validate: (v) => CLOCK.test(v) || 'a time like 14:00' });
    const handling = await number({ message: 'Handling workdays (pick and pack)', default: 1, min: 0, max: 365, step: 1, required: true });
    const lanes: Lane[] = [];
    do {
      const to = await input({
        message: 'Lane: regions it delivers to (comma-separated, e.g. DE, AT)',
        validate: (v) => v.split(',').some((r) => r.trim() !== '') || 'at least one region',
      });
      const method = await input({ message: 'Lane: method', default: 'standard', validate: id });
      const transit = await number({ message: 'Lane: transit workdays', default: 2, min: 0, max: 365, step: 1, required: true });
      lanes.push({
        to: [
          ...new Set(
            to
              .split(',')
              .map((r) => r.trim())
              .filter(Boolean),
          ),
        ],
        method,
        transit_days: transit,
      });
    } while (await confirm({ message: `Another lane from ${locId}?`, default: false }));
    locations.push({ id: locId, name, cutoff, handling_days: handling, lanes });
  } while (await confirm({ message: 'Another location?', default: false }));

  // Stock from ERP feeds (FEEDS.md) arrives with supply feeds; until then it is listed here.
  let product: Answers['product'] = null;
  if (await confirm({ message: 'Add a first product now (stock listed in the file)?', default: true })) {
    const sku = await input({ message: 'SKU', default: 'WIDGET', validate: id });
    const name = await input({ message: 'Product name', default: sku });
    const onHand = await number({ message: `On hand at ${locations[0]!.id}`, default: 0, min: 0, step: 1, required: true });
    product = { sku, name, on_hand: onHand };
  }
  return { company, timezone, workdays, publicHolidays, years: [year, year + 1], locations, product, service: false };
}
