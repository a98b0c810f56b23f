// History (LEARN.md): what the plan's lane or lead time really delivered. Says
// nothing without enough outcomes; with policy.on_time_target, a history that
// falls short of it makes the plan at risk.
import { evidenceFor, evidenceText } from '../../learn/evidence.js';
import { fail, pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

export const historyRule: DeliveryRule = ({ model, promise, planning }) => {
  const best = planning.best;
  const found = best && evidenceFor(model, promise.sku, promise.to, best);
  if (!found) return null;
  const text = evidenceText(found);
  const target = model.caps.policy.on_time_target;
  if (target === undefined || found.lateness.on_time_share >= target) return pass('history', text);
  return fail('history', 'at_risk', `only ${text} (policy asks for ${Math.round(target * 1000) / 10}%)`);
};
