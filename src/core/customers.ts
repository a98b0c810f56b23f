// A customer's terms (ORDERS.md): applied when the promise names a customer id
// the capabilities know; any other customer text gets the defaults.
import type { Model } from './model.js';
import { type Day, isoWeekday, weekdayNumber } from './time/days.js';
import { HORIZON_DAYS, type WorkCalendar } from './time/workCalendar.js';

export interface CustomerTerms {
  /** The matching customer's id, or null for default terms. */
  id: string | null;
  segment: string | null;
  allowPartial: boolean;
  /** ISO weekdays the customer takes deliveries; null: every company workday. */
  receivingDays: ReadonlySet<number> | null;
}

export function customerTerms(model: Model, customer: string | undefined): CustomerTerms {
  const c = customer === undefined ? undefined : model.caps.customers.find((x) => x.id === customer);
  return {
    id: c?.id ?? null,
    segment: c?.segment ?? null,
    allowPartial: c?.allow_partial ?? true,
    receivingDays: c?.receiving_days ? new Set(c.receiving_days.map(weekdayNumber)) : null,
  };
}

/**
 * The first day on or after `day` the customer receives goods: one of its days,
 * never a holiday of `calendar` (the shipping site's; the company's by default).
 */
export function receivingDayOnOrAfter(model: Model, terms: CustomerTerms, day: Day, calendar: WorkCalendar = model.calendar): Day {
  const days = terms.receivingDays;
  if (!days) return day;
  for (let d = day; d < day + HORIZON_DAYS; d++) if (days.has(isoWeekday(d)) && !calendar.isHoliday(d)) return d;
  return day;
}

/** Units held back from this customer at a location: the protected pool not yet promised to its segments. */
export function reservedFrom(model: Model, terms: CustomerTerms, location: string, sku: string, used: number): { reserve: number; protectedLeft: number } {
  const pool = model.products.get(sku)?.product.stock[location]?.protected;
  if (!pool) return { reserve: 0, protectedLeft: 0 };
  const left = Math.max(0, pool.qty - used);
  const listed = terms.segment !== null && pool.for.includes(terms.segment);
  return { reserve: listed ? 0 : left, protectedLeft: listed ? left : 0 };
}
