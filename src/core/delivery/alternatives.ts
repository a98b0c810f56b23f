// What to offer instead when a delivery promise is not safe (SEMANTICS.md
// "Alternatives"). Every alternative is re-evaluated and offered only if feasible.
import type { Alternative, AlternativeKind } from '../checkPromise.js';
import type { Ledger } from '../commitments/ledger.js';
import { customerTerms } from '../customers.js';
import { lanesTo, type Model, siteOf } from '../model.js';
import type { DeliveryPromise } from '../promise.js';
import { type Day, isoDay } from '../time/days.js';
import { type DeliveryEvaluation, type DeliveryPlan, evaluateDelivery } from './evaluate.js';

export function deliveryAlternatives(model: Model, ev: DeliveryEvaluation, ledger: Ledger, now: Date): Alternative[] {
  const p = ev.promise;
  const evaluate = (promise: DeliveryPromise) => evaluateDelivery(model, promise, ledger, now);
  const alternatives: Alternative[] = [];
  const units = (n: number) => `${n} ${p.sku}`;
  /** Offers a feasible evaluation; `describe` turns its plan into the rep's sentence. */
  const offer = (kind: AlternativeKind, found: DeliveryEvaluation, describe: (plan: DeliveryPlan) => string) => {
    const plan = found.plan!;
    alternatives.push({ kind, promise: found.promise, plan, holds: found.holds, summary: describe(plan) });
  };

  const earliest = earliestSafe(model, p, ledger, now, ev);
  if (earliest) {
    offer(
      'earliest_date',
      earliest,
      (plan) =>
        `All ${units(p.qty)} to ${p.to} by ${earliest.promise.by} (ships from ${plan.from} by ${plan.method} on ${plan.ship_date}, arrives ${plan.delivery_date}).`,
    );
  }

  // Only a location with a lane to the region can ship there: an evaluation anywhere else is infeasible, so
  // it is not made (a line no lane serves would otherwise be planned again for every quantity and place tried).
  const supply = supplyLocations(model, p.sku);
  const anyLane = (from: string | undefined, method: string | undefined) =>
    supply.some((id) => (from === undefined || id === from) && lanesTo(model.locations.get(id)!.location, p.to, method).length > 0);

  const most = anyLane(p.from, p.method) ? maxFeasibleQty(p.qty - 1, (qty) => evaluate({ ...p, qty })) : null;
  if (most) {
    offer(
      'max_quantity',
      most,
      (plan) => `${units(most.promise.qty)} of ${p.qty} to ${p.to} by ${p.by} (from ${plan.from} by ${plan.method}, arrives ${plan.delivery_date}).`,
    );
    // The rest on its earliest date, checked while the first part holds its stock;
    // not for a customer who takes no partial deliveries.
    const rest = customerTerms(model, p.customer).allowPartial
      ? earliestSafe(model, { ...p, qty: p.qty - most.promise.qty }, ledger.with(most.holds), now)
      : null;
    if (rest) {
      // The parts in the order they arrive: the rest may come sooner from elsewhere.
      const [first, second] = rest.plan!.delivery_date < most.plan!.delivery_date ? [rest, most] : [most, rest];
      const [a, b] = [first.promise, second.promise];
      alternatives.push({
        kind: 'split',
        promise: a,
        plan: first.plan!,
        // biome-ignore lint/suspicious/noThenProperty: a split's second part, named so in the --json result
        then: { promise: b, plan: second.plan! },
        holds: [...most.holds, ...rest.holds],
        summary: `${units(a.qty)} by ${a.by} (from ${first.plan!.from}, arrives ${first.plan!.delivery_date}) and the other ${b.qty} by ${b.by} (from ${second.plan!.from}, arrives ${second.plan!.delivery_date}).`,
      });
    }
  }

  // Relax what the rep pinned down (the method, the location) and pin what works.
  const relaxations = [
    {
      kind: 'other_method',
      pinned: p.method,
      relax: { method: undefined },
      pin: (plan: DeliveryPlan) => ({ method: plan.method }),
      how: (plan: DeliveryPlan) => `by ${plan.method} instead of ${p.method}`,
    },
    {
      kind: 'other_location',
      pinned: p.from,
      relax: { from: undefined },
      pin: (plan: DeliveryPlan) => ({ from: plan.from }),
      how: (plan: DeliveryPlan) => `from ${plan.from} instead of ${p.from}`,
    },
  ] as const;
  for (const r of relaxations) {
    if (r.pinned === undefined) continue;
    const found = evaluate({ ...p, ...r.relax }).plan;
    const confirmed = found && evaluate({ ...p, ...r.pin(found) });
    if (confirmed?.verdict === 'feasible') {
      offer(r.kind, confirmed, (plan) => `All ${units(p.qty)} to ${p.to} by ${p.by}, shipped ${r.how(plan)} (arrives ${plan.delivery_date}).`);
    }
  }
  // COMMITMENTS.md: whenever another location or method makes the same promise
  // feasible, say so, pinned or not (the fastest may be at risk, e.g. on stale stock).
  const pm = model.products.get(p.sku);
  const tries = {
    from: [...(pm?.supply.keys() ?? []), pm?.product.make_to_order?.location, pm?.product.replenishment?.location],
    method: [...model.locations.values()].flatMap((l) => lanesTo(l.location, p.to).map((lane) => lane.method)),
  };
  for (const [key, kind] of [
    ['from', 'other_location'],
    ['method', 'other_method'],
  ] as const) {
    const instead = ev.earliest?.plan[key] ?? p[key];
    if (alternatives.some((a) => a.kind === kind)) continue;
    const found = [...new Set(tries[key])]
      .filter((v) => v !== undefined && v !== instead && (key === 'method' ? anyLane(p.from, v) : model.locations.has(v) && anyLane(v, p.method)))
      .map((v) => evaluate({ ...p, [key]: v }))
      .filter((e) => e.verdict === 'feasible')
      .sort((x, y) => x.plan!.delivery_date.localeCompare(y.plan!.delivery_date))[0];
    if (found) {
      const how = `${key === 'from' ? 'from' : 'by'} ${found.plan![key]}${instead === undefined ? '' : ` instead of ${instead}`}`;
      offer(kind, found, (plan) => `All ${units(p.qty)} to ${p.to} by ${p.by}, shipped ${how} (arrives ${plan.delivery_date}).`);
    }
  }
  // Another product the company offers in its place: never swapped in silently.
  for (const sku of model.products.get(p.sku)?.product.substitutes ?? []) {
    const found = evaluate({ ...p, sku });
    if (found.verdict !== 'feasible') continue;
    offer(
      'substitute',
      found,
      (plan) => `${p.qty} ${sku} instead of ${p.sku} to ${p.to} by ${p.by} (ships from ${plan.from} by ${plan.method}, arrives ${plan.delivery_date}).`,
    );
    break;
  }
  return alternatives;
}

/** The locations planDelivery takes a product's supply from (stock, make to order, replenishment): a plan ships from one of them. */
function supplyLocations(model: Model, sku: string): string[] {
  const pm = model.products.get(sku);
  if (!pm) return [];
  const ids = [...pm.supply.keys(), pm.product.make_to_order?.location, pm.product.replenishment?.location];
  return ids.filter((id): id is string => id !== undefined && model.locations.has(id));
}

/**
 * The earliest `by` this quantity can be promised with the policy's safety margin,
 * as a feasible evaluation; null if nothing can deliver it. `probe` is any
 * evaluation of the same promise (its earliest plan does not depend on `by`).
 */
export function earliestSafe(
  model: Model,
  p: DeliveryPromise,
  ledger: Ledger,
  now: Date,
  probe: DeliveryEvaluation = evaluateDelivery(model, p, ledger, now),
): DeliveryEvaluation | null {
  if (!probe.earliest) return null;
  const by: Day = siteOf(model, probe.earliest.plan.from).calendar.addWorkdays(probe.earliest.deliveryDay, model.caps.policy.safety_days);
  const ev = evaluateDelivery(model, { ...p, by: isoDay(by) }, ledger, now);
  return ev.verdict === 'feasible' ? ev : null;
}

/**
 * The largest qty in [1, upTo] whose evaluation is feasible. Feasibility only gets
 * harder as qty grows (ATP and capacity are monotone), so binary search finds it.
 */
function maxFeasibleQty(upTo: number, evaluate: (qty: number) => DeliveryEvaluation): DeliveryEvaluation | null {
  let lo = 1;
  let hi = upTo;
  let best: DeliveryEvaluation | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const ev = evaluate(mid);
    if (ev.verdict === 'feasible') {
      best = ev;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
