// What to offer instead when a delivery promise is not safe (SEMANTICS.md
// "Alternatives"). Every alternative is re-evaluated and offered only if feasible.
import type { Alternative } from './check.js';
import { type DeliveryEvaluation, evaluateDelivery } from './delivery.js';
import { type Day, isoDay } from './days.js';
import type { Ledger } from './ledger.js';
import type { Model } from './model.js';
import type { DeliveryPromise } from './promise.js';

export function deliveryAlternatives(model: Model, ev: DeliveryEvaluation, ledger: Ledger, now: Date): Alternative[] {
  const p = ev.promise;
  const evaluate = (promise: DeliveryPromise, l: Ledger = ledger) => evaluateDelivery(model, promise, l, now);
  const alternatives: Alternative[] = [];
  const units = (n: number) => `${n} ${p.sku}`;

  const earliest = earliestSafe(model, p, ledger, now);
  if (earliest) {
    const plan = earliest.plan!;
    alternatives.push({
      kind: 'earliest_date',
      promise: earliest.promise,
      plan,
      holds: earliest.holds,
      summary: `All ${units(p.qty)} to ${p.to} by ${earliest.promise.by} (ships from ${plan.from} by ${plan.method} on ${plan.ship_date}, arrives ${plan.delivery_date}).`,
    });
  }

  const most = maxFeasibleQty(p.qty - 1, (qty) => evaluate({ ...p, qty }));
  if (most) {
    const plan = most.plan!;
    alternatives.push({
      kind: 'max_quantity',
      promise: most.promise,
      plan,
      holds: most.holds,
      summary: `${units(most.promise.qty)} of ${p.qty} to ${p.to} by ${p.by} (from ${plan.from} by ${plan.method}, arrives ${plan.delivery_date}).`,
    });
    const rest = earliestSafe(model, { ...p, qty: p.qty - most.promise.qty }, ledger.with(most.holds), now);
    if (rest) {
      alternatives.push({
        kind: 'split',
        promise: most.promise,
        plan,
        then: { promise: rest.promise, plan: rest.plan! },
        holds: [...most.holds, ...rest.holds],
        summary: `${units(most.promise.qty)} by ${p.by} and the other ${rest.promise.qty} by ${rest.promise.by} (from ${rest.plan!.from}, arrives ${rest.plan!.delivery_date}).`,
      });
    }
  }

  // Relax what the rep pinned down: the method, then the location.
  const relaxations = [
    { kind: 'other_method' as const, pinned: p.method, relaxed: { ...p, method: undefined } },
    { kind: 'other_location' as const, pinned: p.from, relaxed: { ...p, from: undefined } },
  ];
  for (const { kind, pinned, relaxed } of relaxations) {
    if (pinned === undefined) continue;
    const found = evaluate(relaxed).plan;
    if (!found) continue;
    const promise = kind === 'other_method' ? { ...p, method: found.method } : { ...p, from: found.from };
    const confirmed = evaluate(promise);
    if (confirmed.verdict !== 'feasible') continue;
    const plan = confirmed.plan!;
    const change = kind === 'other_method' ? `by ${plan.method} instead of ${p.method}` : `from ${plan.from} instead of ${p.from}`;
    alternatives.push({
      kind,
      promise,
      plan,
      holds: confirmed.holds,
      summary: `All ${units(p.qty)} to ${p.to} by ${p.by}, shipped ${change} (arrives ${plan.delivery_date}).`,
    });
  }
  return alternatives;
}

/**
 * The earliest `by` this quantity can be promised with the policy's safety margin,
 * as a feasible evaluation; null if nothing can deliver it.
 */
export function earliestSafe(model: Model, p: DeliveryPromise, ledger: Ledger, now: Date): DeliveryEvaluation | null {
  const probe = evaluateDelivery(model, p, ledger, now);
  if (!probe.earliest) return null;
  const by: Day = model.calendar.addWorkdays(probe.earliest.deliveryDay, model.caps.policy.safety_days);
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
