// Re-checks open commitments against today's capabilities, in the order they were
// made (earlier commitments keep their claim): holds that no longer fit, lanes
// that are gone or slower, services no longer offered. Each broken one gets a
// fresh check so the rep can warn the customer early.
import type { Alternative, CheckOutcome, Plan } from '../checkPromise.js';
import { check, committedPart } from '../checkPromise.js';
import type { DeliveryPlan } from '../delivery/evaluate.js';
import { lanesTo, type Model } from '../model.js';
import type { OrderPlan } from '../order/evaluate.js';
import { customerOf, linePromise, type SalesPromise } from '../promise.js';
import { localTime } from '../time/clock.js';
import { isoDay, parseIsoDay } from '../time/days.js';
import { holdsFit } from './holdsFit.js';
import { type Hold, Ledger } from './ledger.js';

export interface Commitment {
  id: number;
  outcome: CheckOutcome;
  /** 1-based index into outcome.alternatives, or null for the checked promise itself. */
  alternative: number | null;
}

export interface RecheckResult {
  id: number;
  promise: SalesPromise;
  /** changed: the promise still holds, only its plan moved (a new ship day, another location). */
  status: 'ok' | 'changed' | 'broken' | 'overdue';
  reason: string | null;
  /** For changed ones the new plan; for broken ones what can be promised now instead. */
  fresh: { plan: Plan | null; alternative: Omit<Alternative, 'holds'> | null } | null;
}

export function recheckCommitments(model: Model, commitments: readonly Commitment[], now: Date): RecheckResult[] {
  const today = localTime(now, model.caps.timezone).day;
  const ledger = new Ledger();
  const results: RecheckResult[] = [];
  for (const c of commitments) {
    const { holds, alternative: alt } = committedPart(c.outcome, c.alternative);
    const parts = alt ? [{ promise: alt.promise, plan: alt.plan }, ...(alt.then ? [alt.then] : [])] : [{ promise: c.outcome.promise, plan: c.outcome.plan }];
    const promise = parts[0]!.promise;
    if (holds.length > 0 && holds.every((h) => h.day < today)) {
      for (const h of holds) ledger.add(h);
      results.push({ id: c.id, promise, status: 'overdue', reason: 'its ship dates have passed: record the outcome', fresh: null });
      continue;
    }
    const fit = holdsFit(model, ledger, holds, customerOf(c.outcome.promise));
    const reason = fit.ok ? (parts.map((p) => partBroken(model, p.promise, p.plan, now)).find((r) => r !== null) ?? null) : fit.message;
    if (reason === null) {
      for (const h of holds) ledger.add(h);
      results.push({ id: c.id, promise, status: 'ok', reason: null, fresh: null });
      continue;
    }
    const replanned = replan(model, parts, ledger, now);
    if (replanned) {
      for (const h of replanned.holds) ledger.add(h);
      results.push({ id: c.id, promise, status: 'changed', reason, fresh: { plan: replanned.plan, alternative: null } });
      continue;
    }
    const again = check(model, c.outcome.promise, ledger, now);
    const first = again.alternatives[0];
    const offer = first ? (({ holds: _holds, ...shown }: Alternative) => shown)(first) : null;
    results.push({
      id: c.id,
      promise,
      status: 'broken',
      reason,
      fresh: { plan: again.plan, alternative: offer },
    });
  }
  return results;
}

/**
 * Each committed part checked again as promised (its qty, region and date), the
 * later parts seeing what the earlier ones take: null unless every part is still
 * met. At risk still counts as met: the date holds, the margin is thinner.
 */
function replan(model: Model, parts: { promise: SalesPromise }[], ledger: Ledger, now: Date): { plan: Plan | null; holds: Hold[] } | null {
  const holds: Hold[] = [];
  let plan: Plan | null = null;
  for (const part of parts) {
    const again = check(model, part.promise, ledger.with(holds), now);
    if (again.verdict === 'infeasible') return null;
    plan ??= again.plan;
    holds.push(...again.holds);
  }
  return { plan, holds };
}

/** Why one committed part no longer holds, or null. */
function partBroken(model: Model, promise: SalesPromise, plan: Plan | null, now: Date): string | null {
  if (promise.kind === 'service') {
    const again = check(model, promise, new Ledger(), now);
    return again.verdict === 'infeasible'
      ? again.reasons
          .filter((r) => !r.ok)
          .map((r) => r.message)
          .join('; ')
      : null;
  }
  if (!plan) return 'it has no plan';
  if (promise.kind === 'order') {
    const lines = (plan as OrderPlan).lines;
    for (const [i, line] of promise.lines.entries()) {
      const why = partBroken(model, linePromise(promise, line), lines[i] ?? null, now);
      if (why) return `line ${i + 1} (${line.qty} ${line.sku}): ${why}`;
    }
    return null;
  }
  const p = plan as DeliveryPlan;
  const location = model.locations.get(p.from)?.location;
  const lane = location ? lanesTo(location, promise.to, p.method)[0] : undefined;
  if (!lane) return `the ${p.method} lane from ${p.from} to ${promise.to} is gone`;
  const arrives = model.calendar.addWorkdays(parseIsoDay(p.ship_date)!, lane.transit_days);
  if (arrives > parseIsoDay(promise.by)!) return `shipped ${p.ship_date} by ${p.method} it now arrives ${isoDay(arrives)}, after ${promise.by}`;
  return null;
}
