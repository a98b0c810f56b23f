// Checks that need the whole file in view: references between sections, duplicate
// ids, time zones, and dates that make sense against the calendar and the clock.

import { didYouMean } from '../core/closest.js';
import { FUTURE_SKEW_MS } from '../core/delivery/rules/stockAge.js';
import { holidaysUntil } from '../core/model.js';
import { regionIds } from '../core/service/terms.js';
import { localTime, minuteOfDay, parseNow, zoneProblem } from '../core/time/clock.js';
import { isoDay, parseIsoDay, yearOf } from '../core/time/days.js';
import { HORIZON_DAYS, workCalendar } from '../core/time/workCalendar.js';
import type { Capabilities } from './capabilitiesSchema.js';
import type { PathKey, PathProblem } from './problem.js';

/**
 * `merged`: the capabilities with the supply feeds merged in (feeds.ts checks the
 * feeds themselves; its products begin with the YAML's, in order).
 */
export function crossCheck(caps: Capabilities, now: Date, merged: Capabilities = caps): PathProblem[] {
  const problems: PathProblem[] = [];
  const error = (path: PathKey[], message: string, atKey = false) => problems.push({ severity: 'error', path, message, atKey });
  const warn = (path: PathKey[], message: string, atKey = false) => problems.push({ severity: 'warning', path, message, atKey });

  const zone = (path: PathKey[], name: string | undefined) => {
    const problem = name === undefined ? null : zoneProblem(name);
    if (problem) error(path, problem);
    return problem === null;
  };
  const zoneOk = zone(['timezone'], caps.timezone);

  duplicates(
    caps.locations.map((l) => l.id),
    (i, id) => error(['locations', i, 'id'], `duplicate location id "${id}"`),
  );
  duplicates(
    caps.products.map((p) => p.sku),
    (i, sku) => error(['products', i, 'sku'], `duplicate sku "${sku}"`),
  );
  duplicates(
    caps.services.map((s) => s.id),
    (i, id) => error(['services', i, 'id'], `duplicate service id "${id}"`),
  );
  duplicates(
    caps.customers.map((c) => c.id),
    (i, id) => error(['customers', i, 'id'], `duplicate customer id "${id}"`),
  );
  const skus = new Set(merged.products.map((p) => p.sku));
  const segments = new Set(caps.customers.flatMap((c) => (c.segment ? [c.segment] : [])));
  caps.products.forEach((product, i) => {
    product.substitutes?.forEach((sub, j) => {
      const at = ['products', i, 'substitutes', j];
      if (sub === product.sku) error(at, `"${sub}" cannot substitute itself`);
      else if (!skus.has(sub)) error(at, `substitute "${sub}" is not a product${didYouMean(sub, skus)}`);
    });
    for (const [locId, stock] of Object.entries(product.stock)) {
      const counted = stock.as_of === undefined || !zoneOk ? null : parseNow(stock.as_of, caps.timezone);
      if (counted instanceof Date && counted.getTime() - now.getTime() > FUTURE_SKEW_MS)
        warn(
          ['products', i, 'stock', locId, 'as_of'],
          `as_of ${stock.as_of} is later than now: the stock-age rule treats these figures' age as unknown (at_risk)`,
        );
      if (!stock.protected) continue;
      const at = ['products', i, 'stock', locId, 'protected'];
      if (stock.protected.qty > stock.on_hand)
        warn([...at, 'qty'], `protects ${stock.protected.qty} of ${stock.on_hand} on hand: the rest of the protection waits for incoming supply`);
      stock.protected.for.forEach((segment, k) => {
        if (!segments.has(segment))
          warn([...at, 'for', k], `no customer has segment "${segment}": these units can be promised to nobody${didYouMean(segment, segments)}`);
      });
    }
  });

  duplicates(caps.calendar.workdays, (i, day) => warn(['calendar', 'workdays', i], `workday "${day}" is listed twice`));

  const { years } = caps.calendar;
  if (years) {
    caps.calendar.holidays.forEach((h, i) => {
      const day = parseIsoDay(h);
      if (day !== null && !years.includes(yearOf(day))) {
        error(['calendar', 'holidays', i], `holiday ${h} is outside the calendar's years (${years.join(', ')})`);
      }
    });
  }

  const locationIds = new Set(caps.locations.map((l) => l.id));
  const known = [...locationIds].join(', ');
  caps.locations.forEach((loc, i) => {
    zone(['locations', i, 'timezone'], loc.timezone);
    if (loc.calendar?.workdays)
      duplicates(loc.calendar.workdays, (j, day) => warn(['locations', i, 'calendar', 'workdays', j], `workday "${day}" is listed twice`));
    if (loc.lanes.length === 0) warn(['locations', i, 'lanes'], `location "${loc.id}" has no lanes: nothing can ship from it`);
    loc.lanes.forEach((lane, j) => {
      duplicates(lane.to, (k, region) => error(['locations', i, 'lanes', j, 'to', k], `region "${region}" is listed twice`));
    });
  });

  const today = zoneOk ? localTime(now, caps.timezone).day : null;
  if (today !== null) {
    const calendar = workCalendar(caps.calendar.workdays, caps.calendar.holidays);
    let open = false;
    for (let d = today; d < today + HORIZON_DAYS && !open; d++) open = calendar.isWorkday(d);
    if (!open) error(['calendar', 'workdays'], `no workday within the 5-year planning horizon from ${isoDay(today)}: the holidays cover every workday`);
    // Holidays are listed per year: a year missing from the next twelve months is a year of promises without them.
    const missing = years ? [yearOf(today), yearOf(today + 365)].filter((y, i, all) => !years.includes(y) && all.indexOf(y) === i) : [];
    if (missing.length > 0) {
      warn(['calendar', 'years'], `does not cover the next twelve months (to ${isoDay(today + 365)}): add ${missing.join(', ')} and its holidays`);
    }
    // A hand-typed list says nothing about the years after its last: checks reaching them are at_risk (rule calendar).
    const ends = (path: PathKey[], holidays: readonly string[], listYears: readonly number[] | undefined) => {
      const until = holidaysUntil(holidays, listYears);
      if (until !== null && until < yearOf(today + 365))
        warn(path, `the hand-typed holidays end with ${until}: add ${until + 1}'s, or checks reaching ${until + 1} are at_risk`);
    };
    if (!years) ends(['calendar', 'holidays'], caps.calendar.holidays, undefined);
    caps.locations.forEach((loc, i) => {
      if (loc.calendar?.holidays) ends(['locations', i, 'calendar', 'holidays'], loc.calendar.holidays, undefined);
    });
  }
  caps.products.forEach((product, i) => {
    for (const [locId, stock] of Object.entries(product.stock)) {
      if (!locationIds.has(locId)) {
        error(['products', i, 'stock', locId], `stock at unknown location "${locId}" (known: ${known})`, true);
      }
      stock.incoming.forEach((inc, j) => {
        const day = parseIsoDay(inc.date);
        if (today !== null && day !== null && day < today) {
          warn(['products', i, 'stock', locId, 'incoming', j, 'date'], `incoming delivery dated ${inc.date} is in the past: book it into on_hand`);
        }
      });
    }
    const mto = product.make_to_order;
    if (mto && !locationIds.has(mto.location)) {
      error(['products', i, 'make_to_order', 'location'], `make_to_order at unknown location "${mto.location}" (known: ${known})`);
    }
    const replenishment = product.replenishment;
    if (replenishment && !locationIds.has(replenishment.location)) {
      error(['products', i, 'replenishment', 'location'], `replenishment at unknown location "${replenishment.location}" (known: ${known})`);
    }
    if (!mto && !replenishment && Object.keys(merged.products[i]!.stock).length === 0) {
      warn(['products', i, 'sku'], `"${product.sku}" has no stock, is not made to order and has no replenishment: it can never be promised`);
    }
  });

  caps.services.forEach((service, i) => {
    zone(['services', i, 'timezone'], service.timezone);
    if (service.hours !== '24x7' && minuteOfDay(service.hours.from) >= minuteOfDay(service.hours.to)) {
      error(['services', i, 'hours', 'to'], `closing time ${service.hours.to} must be after opening time ${service.hours.from}`);
    }
    duplicates(regionIds(service), (j, region) => error(['services', i, 'regions', j], `region "${region}" is listed twice`));
    service.regions.forEach((r, j) => {
      if (typeof r !== 'string') zone(['services', i, 'regions', j, 'timezone'], r.timezone);
    });
  });
  return problems;
}

function duplicates(values: readonly string[], report: (index: number, value: string) => void): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) report(i, v);
    else seen.add(v);
  });
}
