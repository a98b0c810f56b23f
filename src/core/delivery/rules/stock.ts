// Stock: is enough available to promise, and from when (SEMANTICS.md §3).
import { isoDay } from '../../time/days.js';
import { fail, pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

export const stockRule: DeliveryRule = ({ promise, planning }) => {
  const stock = planning.sources.filter((s) => s.source === 'stock');
  if (stock.length === 0) return null;
  const best = planning.best?.source;
  if (best?.source === 'stock') {
    const when = best.shipDay === best.readyDay ? 'at once' : `from ${isoDay(best.shipDay!)}`;
    return pass('stock', `${best.location} can ship all ${promise.qty} ${when} (${best.available} available to promise on ${isoDay(best.readyDay)})`);
  }
  const summary = stock.map((s) => `${s.location} ${s.available}${s.shipDay !== null ? ` (enough from ${isoDay(s.shipDay)})` : ''}`).join(', ');
  const covered = stock.some((s) => s.shipDay !== null);
  if (best?.source === 'make_to_order') {
    return pass('stock', `stock available to promise: ${summary}; building to order is sooner`);
  }
  if (covered) return pass('stock', `stock available to promise: ${summary}`);
  return fail('stock', 'infeasible', `not enough stock for ${promise.qty}, even counting incoming supply: available to promise ${summary}`);
};
