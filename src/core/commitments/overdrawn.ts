// Whether a check may read the holds as they are: the cheap test every check
// runs. Only when it finds a location holding more than it has does the re-plan
// (replan.ts, loaded then) decide what the commitments need now.
import type { Model } from '../model.js';
import { weekStart } from '../time/days.js';
import { type Hold, Ledger } from './ledger.js';

/**
 * The skus some location holds more of than it has (stock on any day, or
 * make-to-order capacity in any week): their commitments must be re-planned
 * before a check may be given any of that sku's supply.
 */
export function overdrawnSkus(model: Model, holds: readonly Hold[]): Set<string> {
  const out = new Set<string>();
  const ledger = Ledger.of(holds);
  const seen = new Set<string>();
  for (const h of holds) {
    const key = `${h.location}\u0000${h.sku}\u0000${h.source}`;
    if (seen.has(key) || out.has(h.sku)) continue;
    seen.add(key);
    const product = model.products.get(h.sku);
    if (!product) {
      out.add(h.sku);
      continue;
    }
    if (h.source === 'stock') {
      const supply = product.supply.get(h.location);
      if (!supply) {
        out.add(h.sku);
        continue;
      }
      // Net position after each day's supply and demand: below zero on any day is more held than there is.
      let position = supply.onHand;
      const events = [
        ...supply.incoming.map((l) => ({ day: l.ready, qty: l.qty })),
        ...ledger.stockDemand(h.location, h.sku).map((d) => ({ day: d.day, qty: -d.qty })),
      ].sort((a, b) => a.day - b.day || b.qty - a.qty);
      for (const e of events) {
        position += e.qty;
        if (position < 0) {
          out.add(h.sku);
          break;
        }
      }
    } else if (h.source === 'make_to_order') {
      const mto = product.product.make_to_order;
      if (!mto || mto.location !== h.location) out.add(h.sku);
      else if (
        holds.some((x) => x.sku === h.sku && x.source === 'make_to_order' && ledger.capacityUsed(h.location, h.sku, weekStart(x.day)) > mto.capacity_per_week)
      )
        out.add(h.sku);
    }
  }
  return out;
}
