// What to offer instead when an order is not safe (ORDERS.md): the earliest day
// on which every line has arrived, and, where the customer takes partial
// deliveries, the lines that make the date now with the rest on its earliest
// date. Each is evaluated again and offered only if feasible.
import type { Alternative } from '../checkPromise.js';
import type { Ledger } from '../commitments/ledger.js';
import { customerTerms } from '../customers.js';
import type { Model } from '../model.js';
import type { OrderLine, OrderPromise } from '../promise.js';
import { isoDay } from '../time/days.js';
import { evaluateOrder, type OrderEvaluation } from './evaluate.js';

const describeLines = (lines: readonly OrderLine[]) => lines.map((l) => `${l.qty} ${l.sku}`).join(', ');

export function orderAlternatives(model: Model, ev: OrderEvaluation, ledger: Ledger, now: Date): Alternative[] {
  const p = ev.promise;
  const alternatives: Alternative[] = [];
  const earliest = earliestOrder(model, p, ledger, now, ev);
  if (earliest) {
    alternatives.push({
      kind: 'earliest_date',
      promise: earliest.promise,
      plan: earliest.plan!,
      holds: earliest.holds,
      summary: `The whole order (${describeLines(p.lines)}) to ${p.to} by ${earliest.promise.by} (every line there by ${earliest.plan!.delivery_date}).`,
    });
  }
  if (customerTerms(model, p.customer).allowPartial && p.lines.length > 1) {
    // The lines that make the date as they stand, in their order; the rest after them.
    const now_ = p.lines.filter((_, i) => ev.lines[i]!.verdict === 'feasible');
    const later = p.lines.filter((_, i) => ev.lines[i]!.verdict !== 'feasible');
    if (now_.length > 0 && later.length > 0) {
      const first = evaluateOrder(model, { ...p, lines: now_ }, ledger, now);
      const rest = first.verdict === 'feasible' ? earliestOrder(model, { ...p, lines: later }, ledger.with(first.holds), now) : null;
      if (rest) {
        alternatives.push({
          kind: 'split',
          promise: first.promise,
          plan: first.plan!,
          // biome-ignore lint/suspicious/noThenProperty: a split's second part, named so in the --json result
          then: { promise: rest.promise, plan: rest.plan! },
          holds: [...first.holds, ...rest.holds],
          summary: `${describeLines(now_)} by ${p.by} (there by ${first.plan!.delivery_date}) and ${describeLines(later)} by ${rest.promise.by} (there by ${rest.plan!.delivery_date}).`,
        });
      }
    }
  }
  return alternatives;
}

/** The order at the earliest `by` on which every line has arrived, with the policy's margin; null if never. */
export function earliestOrder(
  model: Model,
  p: OrderPromise,
  ledger: Ledger,
  now: Date,
  probe: OrderEvaluation = evaluateOrder(model, p, ledger, now),
): OrderEvaluation | null {
  if (probe.earliestDay === null) return null;
  const by = isoDay(model.calendar.addWorkdays(probe.earliestDay, model.caps.policy.safety_days));
  const ev = evaluateOrder(model, { ...p, by }, ledger, now);
  return ev.verdict === 'feasible' ? ev : null;
}
