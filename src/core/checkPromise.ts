// The one entry point of the core: check(capabilities model, promise, commitments,
// now). No IO; everything the result depends on is an argument.

import type { Hold, Ledger } from './commitments/ledger.js';
import { deliveryAlternatives } from './delivery/alternatives.js';
import { type DeliveryPlan, evaluateDelivery } from './delivery/evaluate.js';
import type { Model } from './model.js';
import { orderAlternatives } from './order/alternatives.js';
import { evaluateOrder, type OrderPlan } from './order/evaluate.js';
import type { SalesPromise } from './promise.js';
import { serviceAlternatives } from './service/alternatives.js';
import { evaluateService, type ServicePlan } from './service/evaluate.js';
import type { Reason, Verdict } from './verdict.js';

export type Plan = DeliveryPlan | OrderPlan | ServicePlan;

export type AlternativeKind = 'earliest_date' | 'max_quantity' | 'split' | 'other_method' | 'other_location' | 'substitute' | 'service_level';

export interface Alternative {
  kind: AlternativeKind;
  promise: SalesPromise;
  plan: Plan;
  /** A split's second part: the rest of the quantity on its earliest date. */
  then?: { promise: SalesPromise; plan: Plan };
  summary: string;
  /** What committing this alternative holds (both parts of a split). */
  holds: Hold[];
}

export interface CheckOutcome {
  verdict: Verdict;
  promise: SalesPromise;
  plan: Plan | null;
  reasons: Reason[];
  alternatives: Alternative[];
  holds: Hold[];
}

/** What a commitment makes: the check itself, or its alternative N (1-based), and what that holds. */
export function committedPart(outcome: CheckOutcome, alternative: number | null): { holds: Hold[]; alternative: Alternative | null } {
  const alt = alternative === null ? null : (outcome.alternatives[alternative - 1] ?? null);
  return { holds: alt ? alt.holds : outcome.holds, alternative: alt };
}

export function check(model: Model, promise: SalesPromise, ledger: Ledger, now: Date): CheckOutcome {
  if (promise.kind === 'delivery') {
    const ev = evaluateDelivery(model, promise, ledger, now);
    const alternatives = ev.verdict === 'feasible' ? [] : deliveryAlternatives(model, ev, ledger, now);
    return { verdict: ev.verdict, promise, plan: ev.plan, reasons: ev.reasons, alternatives, holds: ev.holds };
  }
  if (promise.kind === 'order') {
    const ev = evaluateOrder(model, promise, ledger, now);
    const alternatives = ev.verdict === 'feasible' ? [] : orderAlternatives(model, ev, ledger, now);
    return { verdict: ev.verdict, promise, plan: ev.plan, reasons: ev.reasons, alternatives, holds: ev.holds };
  }
  const ev = evaluateService(model, promise, now);
  const alternatives = ev.verdict === 'feasible' ? [] : serviceAlternatives(model, ev, now);
  return { verdict: ev.verdict, promise, plan: ev.plan, reasons: ev.reasons, alternatives, holds: [] };
}
