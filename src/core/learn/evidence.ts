// Evidence on a check (LEARN.md): how the plan's lane (or lead time) really did,
// when the history has enough of it. Shown in words and as plan.evidence.
import type { Evidence, History, HistoryView, Model } from '../model.js';
import { type Charge, chargeOf } from './factors.js';
import { type Lateness, latenessOf } from './stats.js';

/** Fewer outcomes than this: no evidence is shown (as calibrate's default --min-samples). */
export const EVIDENCE_MIN_SAMPLES = 20;

export interface Found {
  charge: Charge;
  lateness: Lateness;
  evidence: Evidence;
}

/** The evidence for a plan, or null with too little history. */
export function evidenceFor(history: History, model: Model, sku: string, to: string, plan: { from: string; method: string; source: string }): Found | null {
  const product = model.products.get(sku)?.product;
  const charge = chargeOf(model.caps, product, { sku, to, plan });
  const took = charge && history.get(charge.factor)?.get(charge.key);
  if (!charge || !took) return null;
  const lateness = latenessOf(took, charge.declared);
  if (lateness.samples < EVIDENCE_MIN_SAMPLES) return null;
  return { charge, lateness, evidence: { samples: lateness.samples, on_time_share: lateness.on_time_share, p90_late_days: lateness.p90 } };
}

/** "92% of 143 standard deliveries from newark to US-EAST arrived on time". */
export function evidenceText(f: Found): string {
  const share = `${Math.floor(f.lateness.on_time_share * 100)}% of ${f.lateness.samples}`;
  if (f.charge.factor === 'lane') {
    const [from, method, region] = f.charge.key.split(' ');
    return `${share} ${method} deliveries from ${from} to ${region} arrived on time`;
  }
  const how = f.charge.factor === 'make_to_order' ? 'made-to-order' : 'replenished';
  return `${share} ${how} ${f.charge.key} deliveries arrived on time`;
}

/** What a check's model carries when the log has a history. */
export function historyView(took: History): HistoryView {
  return {
    took,
    evidence(model, sku, to, plan) {
      const found = evidenceFor(took, model, sku, to, plan);
      return found && { evidence: found.evidence, text: evidenceText(found) };
    },
  };
}
