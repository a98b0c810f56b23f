// Stale stock (FEEDS.md): stock counted longer ago than the policy allows may no
// longer be there. Only a plan that ships stock is judged; rows without as_of count as current.
import { parseNow } from '../../time/clock.js';
import { fail, pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

/** Five minutes: clocks of the ERP and of this machine may disagree that much. */
export const FUTURE_SKEW_MS = 5 * 60_000;

export const stockAgeRule: DeliveryRule = ({ model, planning, now }) => {
  const limit = model.caps.policy.max_stock_age_hours;
  const best = planning.best?.source;
  if (limit === undefined || !best || (best.source !== 'stock' && best.source !== 'stock_and_make_to_order')) return null;
  const asOf = planning.product?.product.stock[best.location]?.as_of;
  if (asOf === undefined) return null;
  const counted = parseNow(asOf, model.caps.timezone);
  if (typeof counted === 'string') return null;
  const age = now.getTime() - counted.getTime();
  // COMMITMENTS.md: figures dated later than now (beyond clock skew) have no known age.
  if (age < -FUTURE_SKEW_MS) {
    return fail(
      'stock_age',
      'at_risk',
      `the stock figures for ${planning.product!.product.sku} at ${best.location} are dated ${asOf}, later than now: their age is unknown`,
    );
  }
  const hours = Math.floor(age / 3_600_000);
  const figures = `the stock figures for ${planning.product!.product.sku} at ${best.location} are ${hours} hours old (as of ${asOf})`;
  return age > limit * 3_600_000 ? fail('stock_age', 'at_risk', `${figures}; the policy trusts them for ${limit}`) : pass('stock_age', figures);
};
