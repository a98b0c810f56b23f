// The delivery planner (SEMANTICS.md §1-6): for every allowed location and source
// (stock or make to order) the ship day, and for every lane to the region the
// delivery day. The rules judge what the planner found; it judges nothing.
import { atp, atpProfile, firstDayWithAtp } from './atp.js';
import { HORIZON_DAYS } from '../time/workCalendar.js';
import { localTime } from '../time/clock.js';
import { type Day, weekStart } from '../time/days.js';
import type { Hold, Ledger } from '../commitments/ledger.js';
import { lanesTo, type Model, type ProductModel } from '../model.js';

export interface DeliveryRequest {
  sku: string;
  qty: number;
  to: string;
  method?: string | undefined;
  from?: string | undefined;
}

export type Source = 'stock' | 'make_to_order';

/** What one location can do from one source, before lanes. */
export interface SourceOutcome {
  location: string;
  source: Source;
  orderDay: Day;
  /** Earliest day anything from this source could ship (handling or lead time done). */
  readyDay: Day;
  /** First workday the whole qty can ship, or null if it never can within the horizon. */
  shipDay: Day | null;
  /** Stock: units available to promise at readyDay. Make to order: units buildable (up to qty). */
  available: number;
  holds: Hold[];
}

export interface Candidate {
  source: SourceOutcome;
  shipDay: Day;
  method: string;
  transitDays: number;
  deliveryDay: Day;
}

export interface Planning {
  product: ProductModel | undefined;
  sources: SourceOutcome[];
  best: Candidate | null;
}

export function planDelivery(model: Model, req: DeliveryRequest, ledger: Ledger, now: Date): Planning {
  const product = model.products.get(req.sku);
  if (!product) return { product, sources: [], best: null };
  const today = localTime(now, model.caps.timezone);

  const sources: SourceOutcome[] = [];
  for (const [locId, supply] of product.supply) {
    if (req.from !== undefined && locId !== req.from) continue;
    const loc = model.locations.get(locId);
    if (!loc) continue;
    const orderDay = orderDayAt(model, loc.cutoffMinute, today);
    const readyDay = model.calendar.addWorkdays(orderDay, loc.location.handling_days);
    const profile = atpProfile(supply.onHand, supply.incoming, ledger.stockDemand(locId, req.sku));
    const first = firstDayWithAtp(profile, req.qty, readyDay);
    const shipDay = first === null ? null : model.calendar.workdayOnOrAfter(first);
    sources.push({
      location: locId,
      source: 'stock',
      orderDay,
      readyDay,
      shipDay,
      available: atp(profile, readyDay),
      holds: shipDay === null ? [] : [{ location: locId, sku: req.sku, qty: req.qty, day: shipDay, source: 'stock' }],
    });
  }
  const mto = product.product.make_to_order;
  if (mto && (req.from === undefined || mto.location === req.from) && model.locations.has(mto.location)) {
    sources.push(buildToOrder(model, req, ledger, today));
  }

  const candidates: Candidate[] = [];
  for (const source of sources) {
    if (source.shipDay === null) continue;
    const loc = model.locations.get(source.location)!.location;
    for (const lane of lanesTo(loc, req.to, req.method)) {
      candidates.push({
        source,
        shipDay: source.shipDay,
        method: lane.method,
        transitDays: lane.transit_days,
        deliveryDay: model.calendar.addWorkdays(source.shipDay, lane.transit_days),
      });
    }
  }
  return { product, sources, best: earliest(candidates) };
}

/** SEMANTICS §1: today if a workday before the cut-off, else the next workday. */
export function orderDayAt(model: Model, cutoffMinute: number, today: { day: Day; minute: number }): Day {
  const { calendar } = model;
  return calendar.isWorkday(today.day) && today.minute < cutoffMinute ? today.day : calendar.workdayOnOrAfter(today.day + 1);
}

/**
 * Earliest delivery wins. Ties: stock before make to order (no capacity used),
 * then the slower lane (an express lane that arrives no earlier only costs more),
 * then the order of the capabilities file.
 */
function earliest(candidates: Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (
      !best ||
      c.deliveryDay < best.deliveryDay ||
      (c.deliveryDay === best.deliveryDay &&
        (rank(c) < rank(best) || (rank(c) === rank(best) && c.transitDays > best.transitDays)))
    ) {
      best = c;
    }
  }
  return best;
}
const rank = (c: Candidate) => (c.source.source === 'stock' ? 0 : 1);

/**
 * SEMANTICS §4: units are ready lead_days workdays after the order day; at most
 * capacity_per_week (less committed units) finish in any Monday-to-Sunday week.
 * Units that spill into a later week finish on that week's last workday.
 */
function buildToOrder(model: Model, req: DeliveryRequest, ledger: Ledger, today: { day: Day; minute: number }): SourceOutcome {
  const mto = model.products.get(req.sku)!.product.make_to_order!;
  const loc = model.locations.get(mto.location)!;
  const { calendar } = model;
  const orderDay = orderDayAt(model, loc.cutoffMinute, today);
  const readyDay = calendar.addWorkdays(orderDay, mto.lead_days);
  const holds: Hold[] = [];
  const firstWeek = weekStart(readyDay);
  let left = req.qty;
  let finish: Day | null = null;
  let buildable = 0;
  for (let week = firstWeek; week < firstWeek + HORIZON_DAYS; week += 7) {
    const free = Math.max(0, mto.capacity_per_week - ledger.capacityUsed(mto.location, req.sku, week));
    buildable += free;
    if (free === 0) continue;
    const take = Math.min(free, left);
    left -= take;
    const day = week === firstWeek ? readyDay : lastWorkdayOfWeek(model, week);
    holds.push({ location: mto.location, sku: req.sku, qty: take, day, source: 'make_to_order' });
    if (left === 0) {
      finish = day;
      break;
    }
  }
  return {
    location: mto.location,
    source: 'make_to_order',
    orderDay,
    readyDay,
    shipDay: finish === null ? null : calendar.workdayOnOrAfter(finish),
    available: buildable,
    holds: finish === null ? [] : holds,
  };
}

function lastWorkdayOfWeek(model: Model, monday: Day): Day {
  for (let d = monday + 6; d >= monday; d--) if (model.calendar.isWorkday(d)) return d;
  return monday + 6;
}
