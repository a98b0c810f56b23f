// Make to order: lead time and weekly capacity less what is already committed.
import { isoDay } from '../../time/days.js';
import { fail, pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

export const capacityRule: DeliveryRule = ({ promise, planning }) => {
  const mto = planning.sources.find((s) => s.source === 'make_to_order');
  const spec = planning.product?.product.make_to_order;
  if (!mto || !spec) return null;
  const terms = `${spec.lead_days} workdays lead time, ${spec.capacity_per_week} a week`;
  if (mto.shipDay === null) {
    const effect = planning.best ? null : 'infeasible';
    const message = `${mto.location} cannot build ${promise.qty} within the planning horizon (${terms})`;
    return effect ? fail('capacity', effect, message) : pass('capacity', message);
  }
  const weeks = mto.holds.length;
  return pass('capacity', `${mto.location} can build ${promise.qty} by ${isoDay(mto.shipDay)} (${terms}${weeks > 1 ? `, spread over ${weeks} weeks` : ''})`);
};
