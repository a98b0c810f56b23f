// Available-to-promise (SEMANTICS.md §3): ATP(d) = min over t >= d of S(t) - D(t),
// so a later promise never takes stock that an earlier commitment needs.

import type { DemandEvent } from '../commitments/ledger.js';
import type { SupplyLot } from '../model.js';
import type { Day } from '../time/days.js';

export interface AtpProfile {
  /** Net position before the first event day. */
  base: number;
  /** Distinct event days, ascending. */
  days: Day[];
  /** Net position S - D at the end of each event day. */
  net: number[];
  /** min(net[k..]) for each k. */
  suffixMin: number[];
}

export function atpProfile(onHand: number, supply: readonly SupplyLot[], demand: readonly DemandEvent[]): AtpProfile {
  const days: Day[] = [];
  const net: number[] = [];
  let position = onHand;
  let i = 0;
  let j = 0;
  // Merge two ascending lists into per-day net positions.
  while (i < supply.length || j < demand.length) {
    const day = Math.min(supply[i]?.ready ?? Infinity, demand[j]?.day ?? Infinity);
    while (i < supply.length && supply[i]!.ready === day) position += supply[i++]!.qty;
    while (j < demand.length && demand[j]!.day === day) position -= demand[j++]!.qty;
    days.push(day);
    net.push(position);
  }
  const suffixMin = new Array<number>(net.length);
  let min = Infinity;
  for (let k = net.length - 1; k >= 0; k--) suffixMin[k] = min = Math.min(min, net[k]!);
  return { base: onHand, days, net, suffixMin };
}

/** Index of the last event day <= day, or -1. */
function lastEventOnOrBefore(p: AtpProfile, day: Day): number {
  let lo = 0;
  let hi = p.days.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (p.days[mid]! <= day) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function atp(p: AtpProfile, day: Day): number {
  const k = lastEventOnOrBefore(p, day);
  const here = k >= 0 ? p.net[k]! : p.base;
  const later = k + 1 < p.suffixMin.length ? p.suffixMin[k + 1]! : Infinity;
  return Math.max(0, Math.min(here, later));
}

/**
 * The first day on or after `from` with ATP >= qty, or null if never. ATP never
 * decreases as the day moves later (the min runs over fewer days), so the answer
 * is `from` or one of the event days after it.
 */
export function firstDayWithAtp(p: AtpProfile, qty: number, from: Day): Day | null {
  if (atp(p, from) >= qty) return from;
  const start = lastEventOnOrBefore(p, from) + 1;
  let lo = start;
  let hi = p.days.length - 1;
  let found: Day | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (atp(p, p.days[mid]!) >= qty) {
      found = p.days[mid]!;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return found;
}
