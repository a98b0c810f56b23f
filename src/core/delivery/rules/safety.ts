// Safety: a plan that arrives with fewer spare workdays than policy asks is at risk.
import { siteOf } from '../../model.js';
import { fail, pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

export const safetyRule: DeliveryRule = ({ model, promise, planning, byDay }) => {
  const best = planning.best;
  if (!best || best.deliveryDay > byDay) return null;
  const spare = siteOf(model, best.source.location).calendar.workdaysBetween(best.deliveryDay, byDay);
  const asked = model.caps.policy.safety_days;
  const text = `${spare} spare workday${spare === 1 ? '' : 's'} before ${promise.by} (policy asks for ${asked})`;
  return spare >= asked ? pass('safety', text) : fail('safety', 'at_risk', text);
};
