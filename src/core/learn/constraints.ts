// Where to invest (LEARN.md): for a lost check, the constraint that decided it
// and the least more of it that would have made the promise feasible, found by
// checking the same promise again on capabilities with that much more. Levers are
// tried in a fixed order and the first kind that wins is the answer:
//   stock at a location (units, by the plan's ship day) → make-to-order capacity
//   (units a week) → handling (fewer days at a location) → a faster lane;
// a product made to order tries its capacity before stock (building is what it does).
// Within a kind, the smallest change wins (file order breaks ties). Pure.
import type { Location, Product } from '../../capabilities/capabilitiesSchema.js';
import type { Ledger } from '../commitments/ledger.js';
import { evaluateDelivery } from '../delivery/evaluate.js';
import { type Catalogue, compile, lanesTo, type Model } from '../model.js';
import type { DeliveryPromise } from '../promise.js';

/** lead_time: a broken commitment built or bought in, whose lead time ran over. */
export type ConstraintKind = 'stock' | 'capacity' | 'handling' | 'lane' | 'no_lane' | 'lead_time';

export interface Constraint {
  kind: ConstraintKind;
  /** stock, capacity, handling: the location; lane: "location method region"; no_lane: the region; lead_time: the sku's source. */
  at: string;
  sku: string;
  /** stock: units more on hand; capacity: units a week more; handling, lane, lead_time: workdays fewer; no_lane: 0. */
  more: number;
  /** stock: the day the units must be there (the winning plan's ship day). */
  by?: string;
}

function withModel(model: Model, caps: Model['caps'], product?: Product): Model {
  const base = model.products;
  const catalogue: Catalogue = {
    get: (sku) => (product && sku === product.sku ? product : base.get(sku)?.product),
    skus: () => base.skus(),
  };
  return compile(caps, catalogue);
}

const wins = (model: Model, promise: DeliveryPromise, ledger: Ledger, now: Date) => {
  const ev = evaluateDelivery(model, promise, ledger, now);
  return ev.verdict !== 'infeasible' ? ev : null;
};

/** The least n in [1, max] for which `test(n)` holds, if it holds at max (monotone: more never hurts). */
function least(max: number, test: (n: number) => boolean): number | null {
  if (max < 1 || !test(max)) return null;
  let lo = 1;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const locationsWith = (caps: Model['caps'], id: string, change: (l: Location) => Location) => ({
  ...caps,
  locations: caps.locations.map((l) => (l.id === id ? change(l) : l)),
});

/** The constraint that decided an infeasible delivery check; null when nothing here would have won it. */
export function decidingConstraint(model: Model, promise: DeliveryPromise, ledger: Ledger, now: Date): Constraint | null {
  const product = model.products.get(promise.sku)?.product;
  if (!product) return null;
  const sku = promise.sku;
  const reaching = model.caps.locations.filter((l) => lanesTo(l, promise.to, promise.method).length > 0);
  if (reaching.length === 0) return { kind: 'no_lane', at: promise.to, sku, more: 0 };

  const byStock = (): Constraint | null => {
    let best: Constraint | null = null;
    for (const loc of reaching) {
      if (promise.from !== undefined && loc.id !== promise.from) continue;
      const withStock = (n: number) => {
        const stock = product.stock[loc.id] ?? { on_hand: 0, incoming: [] };
        return withModel(model, model.caps, { ...product, stock: { ...product.stock, [loc.id]: { ...stock, on_hand: stock.on_hand + n } } });
      };
      const n = least(promise.qty, (k) => wins(withStock(k), promise, ledger, now) !== null);
      if (n !== null && (best === null || n < best.more)) {
        const ev = wins(withStock(n), promise, ledger, now)!;
        best = { kind: 'stock', at: loc.id, sku, more: n, by: ev.plan!.ship_date };
      }
    }
    return best;
  };
  const byCapacity = (): Constraint | null => {
    const mto = product.make_to_order;
    if (!mto) return null;
    const n = least(
      promise.qty,
      (k) =>
        wins(withModel(model, model.caps, { ...product, make_to_order: { ...mto, capacity_per_week: mto.capacity_per_week + k } }), promise, ledger, now) !==
        null,
    );
    return n === null ? null : { kind: 'capacity', at: mto.location, sku, more: n };
  };
  // Stock at one location (units from the order day on), or make-to-order capacity (units a week more).
  const first = product.make_to_order ? (byCapacity() ?? byStock()) : (byStock() ?? byCapacity());
  if (first) return first;
  let best: Constraint | null = null;

  // Handling: workdays fewer at one location.
  for (const loc of reaching) {
    const n = least(
      loc.handling_days,
      (k) =>
        wins(
          withModel(
            model,
            locationsWith(model.caps, loc.id, (l) => ({ ...l, handling_days: l.handling_days - k })),
          ),
          promise,
          ledger,
          now,
        ) !== null,
    );
    if (n !== null && (best === null || n < best.more)) best = { kind: 'handling', at: loc.id, sku, more: n };
  }
  if (best) return best;

  // A faster lane: workdays fewer on one lane to the region.
  for (const loc of reaching) {
    for (const lane of lanesTo(loc, promise.to, promise.method)) {
      const faster = (k: number) =>
        locationsWith(model.caps, loc.id, (l) => ({ ...l, lanes: l.lanes.map((x) => (x === lane ? { ...x, transit_days: x.transit_days - k } : x)) }));
      const n = least(lane.transit_days, (k) => wins(withModel(model, faster(k)), promise, ledger, now) !== null);
      if (n !== null && (best === null || n < best.more)) best = { kind: 'lane', at: `${loc.id} ${lane.method} ${promise.to}`, sku, more: n };
    }
  }
  return best;
}

export interface ConstraintSum {
  kind: ConstraintKind;
  at: string;
  sku: string;
  period: string;
  /** Lost checks and broken commitments this constraint decided. */
  cases: number;
  units: number;
  /**
   * stock: units summed (each order needs its own); capacity: the most a week any
   * one needed; handling, lane: the most workdays any one needed.
   */
  more: number;
}

/** Summed per constraint (kind, where, sku) and period, most cases first. */
export function sumConstraints(items: readonly { constraint: Constraint; period: string; units: number }[]): ConstraintSum[] {
  const groups = new Map<string, ConstraintSum>();
  for (const { constraint: c, period, units } of items) {
    const key = `${c.kind}\u0000${c.at}\u0000${c.sku}\u0000${period}`;
    const g = groups.get(key) ?? { kind: c.kind, at: c.at, sku: c.sku, period, cases: 0, units: 0, more: 0 };
    g.cases++;
    g.units += units;
    g.more = c.kind === 'stock' ? g.more + c.more : Math.max(g.more, c.more);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.cases - a.cases || a.period.localeCompare(b.period) || a.kind.localeCompare(b.kind) || a.at.localeCompare(b.at));
}

/**
 * A broken commitment: the factor its delivery was charged to (factors.ts) ran
 * `lateWorkdays` past the promised day, so that factor that much faster would
 * have kept it. Null: a short delivery on time, or no plan to blame.
 */
export function brokenConstraint(
  d: { sku: string; to: string; plan: { from: string; method: string; source: string } },
  lateWorkdays: number,
): Constraint | null {
  if (lateWorkdays <= 0) return null;
  if (d.plan.source === 'stock') return { kind: 'lane', at: `${d.plan.from} ${d.plan.method} ${d.to}`, sku: d.sku, more: lateWorkdays };
  return { kind: 'lead_time', at: `${d.plan.from} ${d.plan.source}`, sku: d.sku, more: lateWorkdays };
}
