// A delivery check: plan, rules, verdict (SEMANTICS.md "Delivery promise").

import type { Hold, Ledger } from '../commitments/ledger.js';
import { type Evidence, type Model, siteOf } from '../model.js';
import type { DeliveryPromise } from '../promise.js';
import { type Day, isoDay, parseIsoDay } from '../time/days.js';
import { fail, type Reason, type Verdict, verdictOf } from '../verdict.js';
import { type Candidate, planDelivery, type Source } from './plan.js';
import { DELIVERY_RULES } from './rules/index.js';

export interface DeliveryPlan {
  from: string;
  method: string;
  source: Source;
  order_date: string;
  ship_date: string;
  delivery_date: string;
  spare_days: number;
  /** How the plan's lane or lead time really did, with enough history (LEARN.md). */
  evidence?: Evidence;
}

export interface DeliveryEvaluation {
  verdict: Verdict;
  promise: DeliveryPromise;
  /** The plan that fulfils the promise; null when none arrives by `by`. */
  plan: DeliveryPlan | null;
  /** The earliest plan there is, late or not (null when nothing can ship at all). */
  earliest: { plan: DeliveryPlan; deliveryDay: Day; holds: Hold[] } | null;
  reasons: Reason[];
  /** What committing this promise holds: stock on ship days, capacity in weeks. */
  holds: Hold[];
}

export function evaluateDelivery(model: Model, promise: DeliveryPromise, ledger: Ledger, now: Date): DeliveryEvaluation {
  const planning = planDelivery(model, promise, ledger, now);
  const byDay = parseIsoDay(promise.by)!;
  const reasons: Reason[] = [];
  for (const rule of DELIVERY_RULES) {
    const reason = rule({ model, promise, planning, byDay, now });
    if (reason) reasons.push(reason);
  }
  // No rule may let a promise pass that nothing can fulfil.
  if (!planning.best && verdictOf(reasons) !== 'infeasible') {
    reasons.push(fail('plan', 'infeasible', `no location can both supply ${promise.qty} ${promise.sku} and reach ${promise.to}`));
  }
  const verdict = verdictOf(reasons);
  const best = planning.best;
  const earliest = best ? { plan: toPlan(model, promise, best, byDay), deliveryDay: best.deliveryDay, holds: best.source.holds } : null;
  const fulfils = earliest !== null && verdict !== 'infeasible';
  return {
    verdict,
    promise,
    plan: fulfils ? earliest.plan : null,
    earliest,
    reasons,
    holds: fulfils ? earliest.holds : [],
  };
}

function toPlan(model: Model, promise: DeliveryPromise, c: Candidate, byDay: Day): DeliveryPlan {
  const found = model.history?.evidence(model, promise.sku, promise.to, { from: c.source.location, method: c.method, source: c.source.source });
  return {
    from: c.source.location,
    method: c.method,
    source: c.source.source,
    order_date: isoDay(c.source.orderDay),
    ship_date: isoDay(c.shipDay),
    delivery_date: isoDay(c.deliveryDay),
    spare_days: siteOf(model, c.source.location).calendar.workdaysBetween(c.deliveryDay, byDay),
    ...(found ? { evidence: found.evidence } : {}),
  };
}
