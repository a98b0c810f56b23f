// What a rep may promise today, product by product and service by service. Every
// date comes from the same functions `check` uses (earliestSafe), never a second
// calculation, so the sheet and a check always agree.

import type { Ledger } from './commitments/ledger.js';
import { customerTerms, reservedFrom } from './customers.js';
import { earliestSafe } from './delivery/alternatives.js';
import { atp, atpProfile } from './delivery/atp.js';
import type { Model } from './model.js';
import { regionIds, serviceTerms } from './service/terms.js';
import { localTime } from './time/clock.js';
import { isoDay } from './time/days.js';
import { windowText } from './time/openHours.js';

export interface SheetOptions {
  quantities: readonly number[];
  region?: string | undefined;
  sku?: string | undefined;
  /** Dates and stock as this customer would be promised them (their terms, their segment's protected stock). */
  customer?: string | undefined;
}

export interface ProductSheet {
  sku: string;
  name: string | null;
  stock: {
    location: string;
    on_hand: number;
    available_now: number;
    incoming: { date: string; qty: number }[];
    /** Units kept for customers of these segments (ORDERS.md). */
    protected: { qty: number; for: string[] } | null;
  }[];
  make_to_order: { location: string; lead_days: number; capacity_per_week: number } | null;
  /** Beyond known supply: bought in, ready lead_days workdays after the order (FEEDS.md). */
  replenishment: { location: string; lead_days: number } | null;
  /** Per region and quantity: the earliest date that passes the policy, and how. */
  delivery: { region: string; qty: number; by: string | null; from: string | null; method: string | null; arrives: string | null }[];
}

export interface ServiceSheet {
  id: string;
  name: string | null;
  regions: { region: string; response_hours: number; hours: string; timezone: string }[];
}

export interface CapabilitySheet {
  company: string;
  as_of: string;
  timezone: string;
  products: ProductSheet[];
  services: ServiceSheet[];
}

export function capabilitySheet(model: Model, ledger: Ledger, now: Date, opts: SheetOptions): CapabilitySheet {
  const today = localTime(now, model.caps.timezone).day;
  const terms = customerTerms(model, opts.customer);
  const products: ProductSheet[] = [];
  for (const sku of opts.sku === undefined ? model.products.skus() : [opts.sku]) {
    const pm = model.products.get(sku);
    if (!pm) continue;
    const p = pm.product;
    const stock = Object.entries(p.stock).map(([location, s]) => {
      const supply = pm.supply.get(location)!;
      return {
        location,
        on_hand: s.on_hand,
        available_now: atp(
          atpProfile(
            supply.onHand - reservedFrom(model, terms, location, sku, ledger.protectedUsed(location, sku)).reserve,
            supply.incoming,
            ledger.stockDemand(location, sku),
          ),
          today,
        ),
        incoming: s.incoming.map((i) => ({ date: i.date, qty: i.qty })),
        protected: s.protected ?? null,
      };
    });
    const sources = [...Object.keys(p.stock), ...(p.make_to_order ? [p.make_to_order.location] : []), ...(p.replenishment ? [p.replenishment.location] : [])];
    const regions = new Set<string>();
    for (const id of sources) for (const lane of model.locations.get(id)?.location.lanes ?? []) for (const r of lane.to) regions.add(r);
    const delivery: ProductSheet['delivery'] = [];
    for (const region of [...regions].sort()) {
      if (opts.region !== undefined && region !== opts.region) continue;
      for (const qty of opts.quantities) {
        const probe = { kind: 'delivery' as const, sku, qty, to: region, by: isoDay(today), ...(opts.customer ? { customer: opts.customer } : {}) };
        // COMMITMENTS.md: the fastest location may not be safe (stale stock) where another is: never "not possible" then.
        const safe =
          earliestSafe(model, probe, ledger, now) ??
          [...new Set(sources)]
            .map((from) => earliestSafe(model, { ...probe, from }, ledger, now))
            .filter((e) => e !== null)
            .sort((a, b) => (a.promise as { by: string }).by.localeCompare((b.promise as { by: string }).by))[0] ??
          null;
        const plan = safe?.plan ?? null;
        delivery.push({
          region,
          qty,
          by: safe && safe.promise.kind === 'delivery' ? safe.promise.by : null,
          from: plan?.from ?? null,
          method: plan?.method ?? null,
          arrives: plan?.delivery_date ?? null,
        });
      }
    }
    if (opts.region !== undefined && delivery.length === 0) continue;
    products.push({ sku, name: p.name ?? null, stock, make_to_order: p.make_to_order ?? null, replenishment: p.replenishment ?? null, delivery });
  }

  const services: ServiceSheet[] = [];
  for (const s of model.caps.services) {
    const regions = regionIds(s)
      .filter((r) => opts.region === undefined || r === opts.region)
      .map((r) => serviceTerms(model, s, r)!)
      .map((t) => ({ region: t.region, response_hours: t.responseHours, hours: windowText(t.clock.hours), timezone: t.clock.zone }));
    if (regions.length > 0 && opts.sku === undefined) services.push({ id: s.id, name: s.name ?? null, regions });
  }
  return { company: model.caps.company, as_of: isoDay(today), timezone: model.caps.timezone, products, services };
}
