// Open commitments as demand: stock held on ship days, and make-to-order units
// holding capacity in the weeks they finish. Indexed by location and sku so a
// check reads only its own rows however many commitments are open.
import { atpProfile } from '../delivery/atp.js';
import type { Model } from '../model.js';
import { type Day, weekStart } from '../time/days.js';

export interface Hold {
  location: string;
  sku: string;
  qty: number;
  /** Stock: the ship day. Make to order: the day the units finish. Replenishment: the day they must be ready. */
  day: Day;
  /** Replenishment holds nothing: it records what must be bought (FEEDS.md). */
  source: 'stock' | 'make_to_order' | 'replenishment';
  /** Stock: how many of these units came out of the location's protected pool (ORDERS.md). */
  protected?: number;
  /** A quote's hold: the last day it holds (FOLLOW-UP.md); absent for a firm commitment. */
  until?: Day | null;
}

export interface DemandEvent {
  day: Day;
  qty: number;
}

const keyOf = (location: string, sku: string) => `${location}\u0000${sku}`;

export class Ledger {
  private readonly stock = new Map<string, DemandEvent[]>();
  private readonly capacity = new Map<string, Map<Day, number>>();
  private readonly protectedPool = new Map<string, number>();

  static of(holds: Iterable<Hold>): Ledger {
    const ledger = new Ledger();
    for (const h of holds) ledger.add(h);
    return ledger;
  }

  add(hold: Hold): void {
    const key = keyOf(hold.location, hold.sku);
    if (hold.source === 'stock') {
      if (hold.protected) this.protectedPool.set(key, (this.protectedPool.get(key) ?? 0) + hold.protected);
      const events = this.stock.get(key) ?? [];
      // Keep ascending by day; commitments mostly arrive in date order.
      let i = events.length;
      while (i > 0 && events[i - 1]!.day > hold.day) i--;
      events.splice(i, 0, { day: hold.day, qty: hold.qty });
      this.stock.set(key, events);
    } else if (hold.source === 'make_to_order') {
      const weeks = this.capacity.get(key) ?? new Map<Day, number>();
      const week = weekStart(hold.day);
      weeks.set(week, (weeks.get(week) ?? 0) + hold.qty);
      this.capacity.set(key, weeks);
    }
  }

  /** A copy with more holds, for checking one part of a plan while another is held. */
  with(holds: readonly Hold[]): Ledger {
    const copy = new Ledger();
    for (const [k, v] of this.stock) copy.stock.set(k, [...v]);
    for (const [k, v] of this.capacity) copy.capacity.set(k, new Map(v));
    for (const [k, v] of this.protectedPool) copy.protectedPool.set(k, v);
    for (const h of holds) copy.add(h);
    return copy;
  }

  /** Stock demand of a location and sku, ascending by ship day. */
  stockDemand(location: string, sku: string): readonly DemandEvent[] {
    return this.stock.get(keyOf(location, sku)) ?? [];
  }

  /** Protected units at a location already promised to the segments they are kept for. */
  protectedUsed(location: string, sku: string): number {
    return this.protectedPool.get(keyOf(location, sku)) ?? 0;
  }

  /** Make-to-order units already finishing in the week starting `monday`. */
  capacityUsed(location: string, sku: string, monday: Day): number {
    return this.capacity.get(keyOf(location, sku))?.get(monday) ?? 0;
  }
}

// COMMITMENTS.md: the cheap test every check and commit runs on the holds it
// loads anyway; only when it finds something are commitments re-planned (replan.ts).
/**
 * The skus some location holds more of than it has (stock on any day, or
 * make-to-order capacity in any week): their commitments must be re-planned
 * before a check may be given any of that sku's supply.
 */
export function overdrawnSkus(model: Model, holds: readonly Hold[]): Set<string> {
  const out = new Set<string>();
  const ledger = Ledger.of(holds);
  for (const h of holds) {
    if (out.has(h.sku)) continue;
    const product = model.products.get(h.sku);
    const mto = product?.product.make_to_order;
    const supply = product?.supply.get(h.location);
    // Net position after each day's supply and demand: below zero on any day is more held than there is.
    const over =
      h.source === 'stock'
        ? !supply || (atpProfile(supply.onHand, supply.incoming, ledger.stockDemand(h.location, h.sku)).suffixMin[0] ?? 0) < 0
        : h.source === 'make_to_order' && (mto?.location !== h.location || ledger.capacityUsed(h.location, h.sku, weekStart(h.day)) > mto.capacity_per_week);
    if (!product || over) out.add(h.sku);
  }
  return out;
}
