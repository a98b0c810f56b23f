// Stock: is enough available to promise, and from when (SEMANTICS.md §3).
import { isoDay } from '../../time/days.js';
import { fail, pass } from '../../verdict.js';
import type { SourceOutcome } from '../plan.js';
import type { DeliveryRule } from './context.js';

/** "sydney 30 now, 180 from 2026-12-14": what exists and when, not just today's figure. */
const position = (s: SourceOutcome) =>
  `${s.location} ${s.available}${s.later ? ` on ${isoDay(s.readyDay)}, ${s.later.qty} from ${isoDay(s.later.day)}` : ''}${s.shipDay !== null ? ` (enough from ${isoDay(s.shipDay)})` : ''}`;

export const stockRule: DeliveryRule = ({ promise, planning }) => {
  const stock = planning.sources.filter((s) => s.source === 'stock');
  if (stock.length === 0) return null;
  const best = planning.best?.source;
  if (best?.source === 'stock') {
    const when = best.shipDay === best.readyDay ? 'at once' : `from ${isoDay(best.shipDay!)}`;
    return pass('stock', `${best.location} can ship all ${promise.qty} ${when} (${best.available} available to promise on ${isoDay(best.readyDay)})`);
  }
  if (best?.source === 'stock_and_make_to_order') {
    return pass(
      'stock',
      `${best.location} ships ${best.available} from stock and ${promise.qty - best.available} built to order, together on ${isoDay(best.shipDay!)}`,
    );
  }
  const summary = stock.map(position).join(', ');
  if (best?.source === 'make_to_order') return pass('stock', `stock available to promise: ${summary}; building to order is sooner`);
  if (best?.source === 'replenishment') {
    const short = stock.every((s) => s.shipDay === null) ? `not enough stock for ${promise.qty}` : 'stock available to promise';
    return pass('stock', `${short}: ${summary}; bought in instead`);
  }
  if (stock.some((s) => s.shipDay !== null)) return pass('stock', `stock available to promise: ${summary}`);
  return fail('stock', 'infeasible', `not enough stock for ${promise.qty}, even counting incoming supply: available to promise ${summary}`);
};
