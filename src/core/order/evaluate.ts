// An order with several lines (ORDERS.md): the lines are planned in the order
// given, each against the stock and capacity the lines before it take, so two
// lines never count the same units twice. The order is as good as its worst line.
import type { Hold, Ledger } from '../commitments/ledger.js';
import { type DeliveryEvaluation, type DeliveryPlan, evaluateDelivery } from '../delivery/evaluate.js';
import type { Model } from '../model.js';
import { linePromise, type OrderPromise } from '../promise.js';
import { type Day, parseIsoDay } from '../time/days.js';
import { type Reason, type Verdict, verdictOf } from '../verdict.js';

export interface OrderPlan {
  /** One delivery plan per line, in order. */
  lines: DeliveryPlan[];
  /** The latest line's delivery day: when the whole order is there. */
  delivery_date: string;
  spare_days: number;
}

export interface OrderEvaluation {
  verdict: Verdict;
  promise: OrderPromise;
  plan: OrderPlan | null;
  reasons: Reason[];
  holds: Hold[];
  lines: DeliveryEvaluation[];
  /** The day every line can have arrived at the earliest (null if some line never can). */
  earliestDay: Day | null;
}

export function evaluateOrder(model: Model, order: OrderPromise, ledger: Ledger, now: Date): OrderEvaluation {
  let held = ledger;
  const lines: DeliveryEvaluation[] = [];
  // The earliest plans of the lines, each seeing what the earlier ones' earliest plans take:
  // the same chain as `held` until a line cannot be fulfilled by `by` (and so holds nothing there).
  let earliestHeld = ledger;
  let earliestDay: Day | null = Number.NEGATIVE_INFINITY;
  for (const line of order.lines) {
    const promise = linePromise(order, line);
    const ev = evaluateDelivery(model, promise, held, now);
    lines.push(ev);
    const early = held === earliestHeld ? ev.earliest : evaluateDelivery(model, promise, earliestHeld, now).earliest;
    const same = held === earliestHeld && ev.holds === ev.earliest?.holds;
    held = held.with(ev.holds);
    earliestHeld = same ? held : earliestHeld.with(early?.holds ?? []);
    earliestDay = early && earliestDay !== null ? Math.max(earliestDay, early.deliveryDay) : null;
  }
  const reasons = lines.flatMap((ev, i) => ev.reasons.map((r) => ({ ...r, line: i + 1 })));
  const verdict = verdictOf(reasons);
  const plans = lines.map((ev) => ev.plan);
  let plan: OrderPlan | null = null;
  if (verdict !== 'infeasible' && plans.every((p): p is DeliveryPlan => p !== null)) {
    // ISO dates sort as text: the latest line's date.
    const last = plans
      .map((p) => p.delivery_date)
      .sort()
      .at(-1)!;
    plan = { lines: plans, delivery_date: last, spare_days: model.calendar.workdaysBetween(parseIsoDay(last)!, parseIsoDay(order.by)!) };
  }
  return {
    verdict,
    promise: order,
    plan,
    reasons,
    holds: plan ? lines.flatMap((ev) => ev.holds) : [],
    lines,
    earliestDay: earliestDay === Number.NEGATIVE_INFINITY ? null : earliestDay,
  };
}
