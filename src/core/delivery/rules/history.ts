// History (LEARN.md): what the plan's lane or lead time really delivered. Says
// nothing without enough outcomes; with policy.on_time_target, a history that
// falls short of it makes the plan at risk.
import { fail, pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

export const historyRule: DeliveryRule = ({ model, promise, planning }) => {
  const best = planning.best;
  const found =
    best && model.history?.evidence(model, promise.sku, promise.to, { from: best.source.location, method: best.method, source: best.source.source });
  if (!found) return null;
  const target = model.caps.policy.on_time_target;
  if (target === undefined || found.evidence.on_time_share >= target) return pass('history', found.text);
  return fail('history', 'at_risk', `only ${found.text} (policy asks for ${Math.round(target * 1000) / 10}%)`);
};
