// Open commitments planned again against today's capabilities (COMMITMENTS.md),
// in priority order, each seeing only the commitments ahead of it: the supply
// they need is what later checks must not be given.
//
// Cheap by design: a commitment whose held plan is still valid (its holds fit
// beside those ahead of it, its location is still ready by the ship day, the
// lane still delivers on the same day) keeps it and costs one holdsFit; only
// the others get a fresh check. A check re-plans only when a location's holds
// exceed its supply (overdrawnSkus); `recheck` re-plans everything.
import type { Alternative, CheckOutcome, Plan } from '../checkPromise.js';
import { check, committedPart } from '../checkPromise.js';
import { customerTerms, receivingDayOnOrAfter } from '../customers.js';
import type { DeliveryPlan } from '../delivery/evaluate.js';
import { orderDayAt } from '../delivery/plan.js';
import { lanesTo, type Model, siteOf } from '../model.js';
import type { OrderPlan } from '../order/evaluate.js';
import { customerOf, type DeliveryPromise, linePromise, type SalesPromise } from '../promise.js';
import { localTime } from '../time/clock.js';
import { type Day, isoDay, parseIsoDay } from '../time/days.js';
import { holdsFit } from './holdsFit.js';
import { type Hold, Ledger } from './ledger.js';

export interface OpenCommitment {
  id: number;
  outcome: CheckOutcome;
  /** 1-based alternative committed, or null for the checked promise itself. */
  alternative: number | null;
  /** A confirmed commitment (false: a held quote). */
  firm: boolean;
  /** What it holds now (after any earlier re-plan). */
  holds: Hold[];
  /** When it was checked: a firm commitment's order counts as placed then (a quote's only when confirmed). */
  checkedAt: Date;
  /** Its parts as last re-planned (or re-committed to an alternative); null: as committed. */
  parts: { promise: SalesPromise; plan: Plan | null }[] | null;
}

export type ReplanStatus = 'holds' | 'changed' | 'at_risk' | 'broken' | 'overdue';

export interface PartReplan {
  promise: SalesPromise;
  /** The plan it held. */
  was: Plan | null;
  /** The plan it has now (null when broken: its alternatives say what can be promised). */
  now: Plan | null;
}

export interface Replanned {
  id: number;
  status: ReplanStatus;
  reason: string | null;
  parts: PartReplan[];
  /** What it holds after this plan (broken and overdue ones keep what they held). */
  holds: Hold[];
  /** Holds or plans differ from what it held: what `recheck --apply` writes. */
  moved: boolean;
  /** Some part now arrives later than it was planned to (the customer may plan around it). */
  later: boolean;
  /** Broken: what can be promised instead now. */
  alternatives: Alternative[];
}

/** A commitment's parts: the promise, or an alternative (a split has two). */
export function partsOf(c: Pick<OpenCommitment, 'outcome' | 'alternative' | 'parts'>): { promise: SalesPromise; plan: Plan | null }[] {
  if (c.parts) return c.parts;
  const alt = committedPart(c.outcome, c.alternative).alternative;
  return alt ? [{ promise: alt.promise, plan: alt.plan }, ...(alt.then ? [alt.then] : [])] : [{ promise: c.outcome.promise, plan: c.outcome.plan }];
}

/** Firm before held; then the customer's priority (lower first, none last); then the earlier commitment. */
export function priorityOrder<T extends Pick<OpenCommitment, 'firm' | 'outcome'>>(model: Model, commitments: readonly T[]): T[] {
  const rank = (c: T) => {
    const id = customerOf(c.outcome.promise);
    const p = id === undefined ? undefined : model.caps.customers.find((x) => x.id === id)?.priority;
    return p ?? Number.POSITIVE_INFINITY;
  };
  return commitments
    .map((c, i) => ({ c, i, firm: c.firm ? 0 : 1, rank: rank(c) }))
    .sort((a, b) => a.firm - b.firm || a.rank - b.rank || a.i - b.i)
    .map((x) => x.c);
}

/**
 * Re-plans `commitments` (given in commit order) in priority order on top of
 * `base` (holds of commitments not re-planned). Returns each result, in
 * priority order, and the ledger of everything they hold afterwards.
 */
export function replanAll(
  model: Model,
  commitments: readonly OpenCommitment[],
  now: Date,
  base: Ledger = new Ledger(),
): { results: Replanned[]; ledger: Ledger } {
  const ledger = base.with([]);
  const results: Replanned[] = [];
  for (const c of priorityOrder(model, commitments)) {
    const r = replanOne(model, c, ledger, now);
    for (const h of r.holds) ledger.add(h);
    results.push(r);
  }
  return { results, ledger };
}

function replanOne(model: Model, c: OpenCommitment, ledger: Ledger, now: Date): Replanned {
  const parts = partsOf(c);
  const same = (status: ReplanStatus, reason: string | null): Replanned => ({
    id: c.id,
    status,
    reason,
    parts: parts.map((p) => ({ promise: p.promise, was: p.plan, now: p.plan })),
    holds: c.holds,
    moved: false,
    later: false,
    alternatives: [],
  });
  // A quote ships nothing until confirmed: past dates only make it plan again.
  if (c.firm && c.holds.length > 0 && c.holds.every((h) => h.day < localTime(now, siteOf(model, h.location).zone).day))
    return same('overdue', 'its ship dates have passed: record the outcome');
  const fit = holdsFit(model, ledger, c.holds, customerOf(c.outcome.promise));
  let why = fit.ok ? null : fit.message;
  for (const p of parts) {
    if (why !== null) break;
    // A firm order was placed when it was made; a quote is ordered only when confirmed: from today.
    const ordered = c.firm ? c.checkedAt : now;
    why = partInvalid(model, p.promise, p.plan, ledger, now, ordered);
  }
  if (why === null) {
    const risk = parts.map((p) => thinMargin(model, p.promise, p.plan)).find((r) => r !== null) ?? null;
    return same(risk ? 'at_risk' : 'holds', risk);
  }
  // A fresh check of each part, the later parts seeing what the earlier ones take.
  const holds: Hold[] = [];
  const fresh: PartReplan[] = [];
  let risky: string | null = null;
  let failed: { at: number; alternatives: Alternative[] } | null = null;
  for (const [i, p] of parts.entries()) {
    // Copying the ledger costs as much as it holds: only a later part of a split needs one.
    const again = check(model, p.promise, holds.length === 0 ? ledger : ledger.with(holds), now);
    if (again.verdict === 'infeasible') {
      // The other parts are still planned: a split's notice says how each part stands.
      failed ??= { at: i, alternatives: again.alternatives };
      fresh.push({ promise: p.promise, was: p.plan, now: null });
      continue;
    }
    if (again.verdict === 'at_risk') risky ??= again.reasons.find((r) => !r.ok)?.message ?? 'at risk';
    holds.push(...again.holds);
    fresh.push({ promise: p.promise, was: p.plan, now: again.plan });
  }
  // Broken: it keeps what it held until the rep releases it or commits an alternative.
  if (failed) return { ...same('broken', why), parts: fresh, alternatives: failed.alternatives };
  const moved = JSON.stringify(holds) !== JSON.stringify(c.holds) || fresh.some((p) => JSON.stringify(p.was) !== JSON.stringify(p.now));
  const later = fresh.some((p) => deliveryOf(p.now) > deliveryOf(p.was));
  const status: ReplanStatus = risky ? 'at_risk' : moved ? 'changed' : 'holds';
  return { id: c.id, status, reason: risky ? `${why}; now ${risky}` : why, parts: fresh, holds, moved, later, alternatives: [] };
}

const deliveryOf = (plan: Plan | null): string => (plan && 'delivery_date' in plan ? plan.delivery_date : '');

/**
 * Why a held plan no longer holds as planned, or null. `ordered`: when the order
 * counts as placed (its order day follows from the site's cut-off and calendar, on its clock).
 * Stock and capacity are holdsFit's part.
 */
function partInvalid(model: Model, promise: SalesPromise, plan: Plan | null, ledger: Ledger, now: Date, ordered: Date): string | null {
  if (promise.kind === 'service') {
    const again = check(model, promise, ledger, now);
    return again.verdict === 'infeasible'
      ? again.reasons
          .filter((r) => !r.ok)
          .map((r) => r.message)
          .join('; ')
      : null;
  }
  if (!plan) return 'it has no plan';
  if (promise.kind === 'order') {
    const lines = (plan as OrderPlan).lines;
    for (const [i, line] of promise.lines.entries()) {
      const why = deliveryInvalid(model, linePromise(promise, line), lines[i], ordered);
      if (why) return `line ${i + 1} (${line.qty} ${line.sku}): ${why}`;
    }
    return null;
  }
  return deliveryInvalid(model, promise, plan as DeliveryPlan, ordered);
}

function deliveryInvalid(model: Model, promise: DeliveryPromise, p: DeliveryPlan | undefined, ordered: Date): string | null {
  if (!p) return 'it has no plan';
  const loc = model.locations.get(p.from);
  if (!loc) return `${p.from} is no longer a location`;
  const { calendar } = loc;
  const ship = parseIsoDay(p.ship_date)!;
  if (!calendar.isWorkday(ship)) return `${p.ship_date} is no longer a workday at ${p.from}`;
  const orderDay = Math.max(parseIsoDay(p.order_date)!, orderDayAt(model, loc.cutoffMinute, localTime(ordered, loc.zone), p.from));
  const product = model.products.get(promise.sku)?.product;
  const ready: Day[] = [];
  if (p.source === 'stock' || p.source === 'stock_and_make_to_order') ready.push(calendar.addWorkdays(orderDay, loc.location.handling_days));
  if (p.source === 'make_to_order' || p.source === 'stock_and_make_to_order') {
    const mto = product?.make_to_order;
    if (!mto || mto.location !== p.from) return `${promise.sku} is no longer made to order at ${p.from}`;
    ready.push(calendar.addWorkdays(orderDay, mto.lead_days));
  }
  if (p.source === 'replenishment') {
    const r = product?.replenishment;
    if (!r || r.location !== p.from) return `${promise.sku} is no longer bought in for ${p.from}`;
    ready.push(calendar.addWorkdays(orderDay, r.lead_days));
  }
  const readyDay = Math.max(...ready);
  if (readyDay > ship) return `${p.from} is now ready to ship on ${isoDay(readyDay)}, after the planned ${p.ship_date}`;
  const lane = lanesTo(loc.location, promise.to, p.method)[0];
  if (!lane) return `the ${p.method} lane from ${p.from} to ${promise.to} is gone`;
  const arrives = receivingDayOnOrAfter(model, customerTerms(model, promise.customer), calendar.addWorkdays(ship, lane.transit_days), calendar);
  if (isoDay(arrives) !== p.delivery_date) return `shipped ${p.ship_date} by ${p.method} it now arrives ${isoDay(arrives)}, not ${p.delivery_date}`;
  return null;
}

/** A held plan still on time but with fewer spare workdays than the policy asks, said; else null. */
function thinMargin(model: Model, promise: SalesPromise, plan: Plan | null): string | null {
  if (promise.kind === 'service' || !plan || !('spare_days' in plan)) return null;
  // Spare days are read in the shipping site's calendar; an order's, with lines from several sites, in the company's.
  const calendar = 'from' in plan ? siteOf(model, plan.from).calendar : model.calendar;
  const spare = calendar.workdaysBetween(parseIsoDay(plan.delivery_date)!, parseIsoDay(promise.by)!);
  const asked = model.caps.policy.safety_days;
  return spare < asked ? `${spare} spare workday${spare === 1 ? '' : 's'} before ${promise.by} (policy asks for ${asked})` : null;
}

/**
 * The ledger a check must see (COMMITMENTS.md "Never the same units twice")
 * when some location holds more than it has (overdrawnSkus): the commitments
 * holding an overdrawn sku (`replanned`) are planned again in priority order
 * and hold what they need now; every other hold in `holds` stays as it is.
 */
export function ledgerFor(model: Model, holds: readonly Hold[], replanned: readonly OpenCommitment[], now: Date): Ledger {
  return replanAll(
    model,
    replanned,
    now,
    Ledger.of(
      withoutHolds(
        holds,
        replanned.flatMap((c) => c.holds),
      ),
    ),
  ).ledger;
}

/** `holds` less the amounts in `taken`, per location, sku, day and source (holds carry no owner; the log sums them). */
export function withoutHolds(holds: readonly Hold[], taken: readonly Hold[]): Hold[] {
  const left = new Map<string, { qty: number; protected: number }>();
  for (const h of taken) {
    const t = left.get(holdKey(h)) ?? { qty: 0, protected: 0 };
    left.set(holdKey(h), { qty: t.qty + h.qty, protected: t.protected + (h.protected ?? 0) });
  }
  return holds.flatMap((h) => {
    const t = left.get(holdKey(h));
    if (!t || t.qty === 0) return [h];
    const qty = Math.min(t.qty, h.qty);
    const prot = Math.min(t.protected, h.protected ?? 0);
    left.set(holdKey(h), { qty: t.qty - qty, protected: t.protected - prot });
    if (qty === h.qty) return [];
    return [{ ...h, qty: h.qty - qty, ...(h.protected !== undefined ? { protected: h.protected - prot } : {}) }];
  });
}

const holdKey = (h: Hold) => `${h.location}\u0000${h.sku}\u0000${h.day}\u0000${h.source}`;
