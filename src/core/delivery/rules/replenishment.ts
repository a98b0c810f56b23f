// Replenishment (FEEDS.md): beyond known supply, bought from the supplier.
import { isoDay } from '../../time/days.js';
import { pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

export const replenishmentRule: DeliveryRule = ({ promise, planning }) => {
  const best = planning.best?.source;
  const terms = planning.product?.product.replenishment;
  if (best?.source !== 'replenishment' || !terms) return null;
  return pass(
    'replenishment',
    `beyond stock: ${promise.qty} bought in for ${best.location}, ordered on ${isoDay(best.orderDay)} and ready on ${isoDay(best.readyDay)} (${terms.lead_days} workday${terms.lead_days === 1 ? '' : 's'} lead time)`,
  );
};
