// Do a commitment's holds still fit? Used when committing (two commits that
// together exceed ATP cannot both succeed) and when re-checking open commitments.
// Pure: the caller adds the holds to its ledger when they fit.

import { customerTerms, reservedFrom } from '../customers.js';
import { atp, atpProfile } from '../delivery/atp.js';
import type { Model } from '../model.js';
import { isoDay, weekStart } from '../time/days.js';
import { type DemandEvent, type Hold, Ledger } from './ledger.js';

export type Fit = { ok: true } | { ok: false; message: string };

/** `customer`: whom the commitment is for (protected stock is held back from other segments). */
export function holdsFit(model: Model, ledger: Ledger, holds: readonly Hold[], customer?: string): Fit {
  const terms = customerTerms(model, customer);
  // The commitment's own earlier holds count too (a split may hold twice at one place).
  const own = new Ledger();
  for (const h of holds) {
    const product = model.products.get(h.sku);
    if (!product) return { ok: false, message: `${h.sku} is no longer in the capabilities` };
    if (h.source === 'stock') {
      const supply = product.supply.get(h.location);
      if (!supply) return { ok: false, message: `${h.location} no longer stocks ${h.sku}` };
      const demand = merged(ledger.stockDemand(h.location, h.sku), own.stockDemand(h.location, h.sku));
      const used = ledger.protectedUsed(h.location, h.sku) + own.protectedUsed(h.location, h.sku);
      const { reserve } = reservedFrom(model, terms, h.location, h.sku, used);
      const available = atp(atpProfile(supply.onHand - reserve, supply.incoming, demand), h.day);
      if (available < h.qty) {
        return { ok: false, message: `${h.location} has only ${available} ${h.sku} available to promise on ${isoDay(h.day)}, ${h.qty} needed` };
      }
    } else if (h.source === 'replenishment') {
      const r = product.product.replenishment;
      if (!r || r.location !== h.location) return { ok: false, message: `${h.sku} is no longer bought in for ${h.location}` };
    } else {
      const mto = product.product.make_to_order;
      if (!mto || mto.location !== h.location) return { ok: false, message: `${h.sku} is no longer made to order at ${h.location}` };
      const week = weekStart(h.day);
      const free = mto.capacity_per_week - ledger.capacityUsed(h.location, h.sku, week) - own.capacityUsed(h.location, h.sku, week);
      if (free < h.qty) {
        return { ok: false, message: `${h.location} can build only ${Math.max(0, free)} more ${h.sku} in the week of ${isoDay(week)}, ${h.qty} needed` };
      }
    }
    own.add(h);
  }
  return { ok: true };
}

function merged(a: readonly DemandEvent[], b: readonly DemandEvent[]): DemandEvent[] {
  if (b.length === 0) return a as DemandEvent[];
  return [...a, ...b].sort((x, y) => x.day - y.day);
}
