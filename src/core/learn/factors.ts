// What a delivery's lateness is charged to (LEARN.md, docs/calibrate.md). A
// delivery date alone cannot tell handling from transit, nor a late build from a
// slow truck, so each delivery is charged to ONE factor: the lane for plans
// shipped from stock, the lead time for made-to-order and replenished ones.
// Handling is shown pooled over a location's lanes, for information.
import type { Policy } from '../model.js';

export type Factor = 'lane' | 'make_to_order' | 'replenishment';

export interface Charge {
  factor: Factor;
  /** lane: "location method region"; lead times: the sku. */
  key: string;
  /** The workdays the capabilities declare for it (transit or lead days). */
  declared: number;
}

export const laneKey = (location: string, method: string, region: string): string => `${location} ${method} ${region}`;

export interface PlannedDelivery {
  sku: string;
  to: string;
  plan: { from: string; method: string; source: string };
}

/** The factor a plan's lateness is charged to, with its days as `caps` declare them (null: not declared there). */
export function chargeOf(caps: Pick<Policy, 'locations'>, product: ProductLeads | undefined, d: PlannedDelivery): Charge | null {
  const { plan } = d;
  if (plan.source === 'make_to_order' || plan.source === 'stock_and_make_to_order') {
    const days = product?.make_to_order?.lead_days;
    return days === undefined ? null : { factor: 'make_to_order', key: d.sku, declared: days };
  }
  if (plan.source === 'replenishment') {
    const days = product?.replenishment?.lead_days;
    return days === undefined ? null : { factor: 'replenishment', key: d.sku, declared: days };
  }
  const lane = caps.locations.find((l) => l.id === plan.from)?.lanes.find((l) => l.method === plan.method && l.to.includes(d.to));
  return lane === undefined ? null : { factor: 'lane', key: laneKey(plan.from, plan.method, d.to), declared: lane.transit_days };
}

/** The lead times of a product, as the catalogue has them. */
export interface ProductLeads {
  make_to_order?: { lead_days: number } | undefined;
  replenishment?: { lead_days: number } | undefined;
}

/** Workdays from the planned day to the delivered one: negative when early. */
export function signedWorkdays(between: (from: number, to: number) => number, planned: number, delivered: number): number {
  return delivered >= planned ? between(planned, delivered) : -between(delivered, planned);
}
