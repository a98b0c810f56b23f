// The delivery planner (SEMANTICS.md §1-6, FEEDS.md): for every allowed location
// and source (stock, make to order, replenishment) the ship day, and for every lane to the region the
// delivery day. The rules judge what the planner found; it judges nothing.

import type { Hold, Ledger } from '../commitments/ledger.js';
import { type CustomerTerms, customerTerms, receivingDayOnOrAfter, reservedFrom } from '../customers.js';
import { lanesTo, type Model, type ProductModel, siteOf } from '../model.js';
import { localTime } from '../time/clock.js';
import { type Day, weekStart } from '../time/days.js';
import { HORIZON_DAYS, type WorkCalendar } from '../time/workCalendar.js';
import { atp, atpProfile, firstDayWithAtp } from './atp.js';

export interface DeliveryRequest {
  sku: string;
  qty: number;
  to: string;
  method?: string | undefined;
  from?: string | undefined;
  customer?: string | undefined;
}

/** Where a plan's units come from: one location's stock, its make to order, both shipping together, or bought in. */
export type Source = 'stock' | 'make_to_order' | 'stock_and_make_to_order' | 'replenishment';

/** What one location can do from one source, before lanes. */
export interface SourceOutcome {
  location: string;
  source: Source;
  orderDay: Day;
  /** Earliest day anything from this source could ship (handling or lead time done). */
  readyDay: Day;
  /** First workday the whole qty can ship, or null if it never can within the horizon. */
  shipDay: Day | null;
  /** Stock: units available to promise at readyDay. Make to order: units buildable (up to qty). Both: units from stock. Replenishment: qty. */
  available: number;
  /** Stock that will be available later than readyDay (after incoming supply), if more than `available`. */
  later: { qty: number; day: Day } | null;
  holds: Hold[];
}

export interface Candidate {
  source: SourceOutcome;
  shipDay: Day;
  method: string;
  transitDays: number;
  /** The lane's cost; lanes without one sort after those with one. */
  cost: number;
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
  // Each site reads the instant on its own clock (COMMITMENTS.md "Each site on its own clock and calendar").
  const todayAt = (locId: string) => localTime(now, model.locations.get(locId)!.zone);
  const terms = customerTerms(model, req.customer);

  const sources: SourceOutcome[] = [];
  for (const locId of product.supply.keys()) {
    if (req.from !== undefined && locId !== req.from) continue;
    const loc = model.locations.get(locId);
    if (!loc) continue;
    const orderDay = orderDayAt(model, loc.cutoffMinute, todayAt(locId), locId);
    const readyDay = loc.calendar.addWorkdays(orderDay, loc.location.handling_days);
    const { profile, protectedLeft } = stockProfile(model, req, ledger, terms, locId);
    const first = firstDayWithAtp(profile, req.qty, readyDay);
    const shipDay = first === null ? null : loc.calendar.workdayOnOrAfter(first);
    const available = atp(profile, readyDay);
    const lastDay = profile.days.at(-1);
    const most = lastDay === undefined ? available : atp(profile, lastDay);
    sources.push({
      location: locId,
      source: 'stock',
      orderDay,
      readyDay,
      shipDay,
      available,
      later: most > available ? { qty: most, day: firstDayWithAtp(profile, most, readyDay)! } : null,
      holds: shipDay === null ? [] : [stockHold(req, locId, req.qty, shipDay, protectedLeft)],
    });
  }
  const mto = product.product.make_to_order;
  if (mto && (req.from === undefined || mto.location === req.from) && model.locations.has(mto.location)) {
    const built = buildToOrder(model, req, ledger, todayAt(mto.location));
    sources.push(built.source);
    const stock = sources.find((s) => s.source === 'stock' && s.location === mto.location);
    const both = stock && stockAndBuilt(model, req, ledger, terms, stock, built);
    if (both) sources.push(both);
  }
  const bought = product.product.replenishment;
  if (bought && (req.from === undefined || bought.location === req.from) && model.locations.has(bought.location)) {
    sources.push(replenish(model, req, bought, todayAt(bought.location)));
  }

  const candidates: Candidate[] = [];
  for (const source of sources) {
    if (source.shipDay === null) continue;
    const site = model.locations.get(source.location)!;
    for (const lane of lanesTo(site.location, req.to, req.method)) {
      candidates.push({
        source,
        shipDay: source.shipDay,
        method: lane.method,
        transitDays: lane.transit_days,
        cost: lane.cost ?? Number.POSITIVE_INFINITY,
        // Transit counts the shipping site's workdays; goods arrive on a day the customer receives them (ORDERS.md "Receiving days").
        deliveryDay: receivingDayOnOrAfter(model, terms, site.calendar.addWorkdays(source.shipDay, lane.transit_days), site.calendar),
      });
    }
  }
  return { product, sources, best: earliest(candidates) };
}

/**
 * Stock available to promise at a location for this customer: units protected
 * for other segments are held back on every day (ORDERS.md "Protected stock").
 */
function stockProfile(model: Model, req: DeliveryRequest, ledger: Ledger, terms: CustomerTerms, location: string) {
  const supply = model.products.get(req.sku)!.supply.get(location)!;
  const { reserve, protectedLeft } = reservedFrom(model, terms, location, req.sku, ledger.protectedUsed(location, req.sku));
  return { profile: atpProfile(supply.onHand - reserve, supply.incoming, ledger.stockDemand(location, req.sku)), protectedLeft };
}

/** A stock hold; a customer the pool is kept for takes protected units first. */
function stockHold(req: DeliveryRequest, location: string, qty: number, day: Day, protectedLeft: number): Hold {
  const protectedUnits = Math.min(qty, protectedLeft);
  return { location, sku: req.sku, qty, day, source: 'stock', ...(protectedUnits > 0 ? { protected: protectedUnits } : {}) };
}

/** SEMANTICS §1: today if a workday before the cut-off, else the next workday; `today` and workdays are the location's. */
export function orderDayAt(model: Model, cutoffMinute: number, today: { day: Day; minute: number }, location?: string): Day {
  const calendar = location === undefined ? model.calendar : siteOf(model, location).calendar;
  return calendar.isWorkday(today.day) && today.minute < cutoffMinute ? today.day : calendar.workdayOnOrAfter(today.day + 1);
}

/**
 * FEEDS.md "Replenishment": beyond known supply, any quantity ordered on the
 * location's order day is ready to ship there lead_days workdays later. It holds
 * no stock or capacity; its hold records what must be bought.
 */
function replenish(model: Model, req: DeliveryRequest, bought: { location: string; lead_days: number }, today: { day: Day; minute: number }): SourceOutcome {
  const site = model.locations.get(bought.location)!;
  const orderDay = orderDayAt(model, site.cutoffMinute, today, bought.location);
  const readyDay = site.calendar.addWorkdays(orderDay, bought.lead_days);
  return {
    location: bought.location,
    source: 'replenishment',
    orderDay,
    readyDay,
    shipDay: readyDay,
    available: req.qty,
    later: null,
    holds: [{ location: bought.location, sku: req.sku, qty: req.qty, day: readyDay, source: 'replenishment' }],
  };
}

/**
 * Earliest delivery wins. Ties: the lower lane cost (a lane without a cost after
 * any with one), then stock before make to order before both together (no
 * capacity used, one shipment prepared) before replenishment (nothing to buy), then the slower lane (an express lane
 * that arrives no earlier only costs more), then the order of the capabilities file.
 */
function earliest(candidates: Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) if (!best || better(c, best)) best = c;
  return best;
}

function better(c: Candidate, best: Candidate): boolean {
  if (c.deliveryDay !== best.deliveryDay) return c.deliveryDay < best.deliveryDay;
  if (c.cost !== best.cost) return c.cost < best.cost;
  if (RANK[c.source.source] !== RANK[best.source.source]) return RANK[c.source.source] < RANK[best.source.source];
  return c.transitDays > best.transitDays;
}
const RANK: Record<Source, number> = { stock: 0, make_to_order: 1, stock_and_make_to_order: 2, replenishment: 3 };

/**
 * SEMANTICS §4: units are ready lead_days workdays after the order day; at most
 * capacity_per_week (less committed units) finish in any Monday-to-Sunday week.
 * Units that spill into a later week finish on that week's last workday.
 */
function buildToOrder(model: Model, req: DeliveryRequest, ledger: Ledger, today: { day: Day; minute: number }): { source: SourceOutcome; schedule: Hold[] } {
  const mto = model.products.get(req.sku)!.product.make_to_order!;
  const loc = model.locations.get(mto.location)!;
  const { calendar } = loc;
  const orderDay = orderDayAt(model, loc.cutoffMinute, today, mto.location);
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
    const day = week === firstWeek ? readyDay : lastWorkdayOfWeek(calendar, week);
    holds.push({ location: mto.location, sku: req.sku, qty: take, day, source: 'make_to_order' });
    if (left === 0) {
      finish = day;
      break;
    }
  }
  const source: SourceOutcome = {
    location: mto.location,
    source: 'make_to_order',
    orderDay,
    readyDay,
    shipDay: finish === null ? null : calendar.workdayOnOrAfter(finish),
    available: buildable,
    later: null,
    holds: finish === null ? [] : holds,
  };
  return { source, schedule: holds };
}

/**
 * Units on hand and units built at one location ship together once the last is
 * ready (SEMANTICS §4-5: the product "can also be built"; it ships when the whole
 * qty is available there). Stock is taken first, the rest built in the earliest
 * weeks with capacity. Both stock ATP and units built only grow with the day, so
 * the first day where they cover qty is one of the days either changes on.
 * null when stock alone or building alone is no later (they win the tie).
 */
function stockAndBuilt(
  model: Model,
  req: DeliveryRequest,
  ledger: Ledger,
  terms: CustomerTerms,
  stock: SourceOutcome,
  built: { source: SourceOutcome; schedule: Hold[] },
): SourceOutcome | null {
  const { profile, protectedLeft } = stockProfile(model, req, ledger, terms, stock.location);
  const days = [...new Set([stock.readyDay, ...profile.days.filter((d) => d > stock.readyDay), ...built.schedule.map((h) => h.day)])].sort((a, b) => a - b);
  for (const day of days) {
    const fromStock = day >= stock.readyDay ? Math.min(req.qty, atp(profile, day)) : 0;
    let rest = req.qty - fromStock;
    const holds: Hold[] = [];
    for (const h of built.schedule) {
      if (rest === 0 || h.day > day) break;
      const take = Math.min(rest, h.qty);
      holds.push({ ...h, qty: take });
      rest -= take;
    }
    if (rest > 0) continue;
    if (fromStock === 0 || fromStock === req.qty) return null;
    const shipDay = siteOf(model, stock.location).calendar.workdayOnOrAfter(day);
    if ((stock.shipDay !== null && stock.shipDay <= shipDay) || (built.source.shipDay !== null && built.source.shipDay <= shipDay)) return null;
    return {
      location: stock.location,
      source: 'stock_and_make_to_order',
      orderDay: stock.orderDay,
      readyDay: Math.min(stock.readyDay, built.source.readyDay),
      shipDay,
      available: fromStock,
      later: null,
      holds: [stockHold(req, stock.location, fromStock, shipDay, protectedLeft), ...holds],
    };
  }
  return null;
}

function lastWorkdayOfWeek(calendar: WorkCalendar, monday: Day): Day {
  for (let d = monday + 6; d >= monday; d--) if (calendar.isWorkday(d)) return d;
  return monday + 6;
}
