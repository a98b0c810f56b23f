// promise calibrate's figures (LEARN.md): for every lane, lead time and
// location's handling, the lateness over the history and the fewest declared
// days that would have met the target. Pure: histograms in, rows out.
import type { History, Policy } from '../model.js';
import { type Factor, laneKey, type ProductLeads } from './factors.js';
import { daysForTarget, type Histogram, type Lateness, latenessOf, mergeHistograms } from './stats.js';

export type CalibrationFactor = Factor | 'handling';

/**
 * not_enough_evidence: fewer outcomes than asked, no suggestion; too_fast: the
 * file promises faster than the history allows; cautious: a faster promise would
 * have held; holds: the declared days are what the target needs; information:
 * figures without a suggestion (handling: its lateness is charged to lanes).
 */
export type Finding = 'not_enough_evidence' | 'too_fast' | 'cautious' | 'holds' | 'information';

export interface CalibrationRow {
  factor: CalibrationFactor;
  key: string;
  declared: number;
  lateness: Lateness | null;
  suggested: number | null;
  finding: Finding;
}

export interface CalibrateOptions {
  target: number;
  minSamples: number;
}

export type { History } from '../model.js';
export { historyOf } from './stats.js';

function judged(factor: CalibrationFactor, key: string, declared: number, took: Histogram | undefined, o: CalibrateOptions): CalibrationRow {
  const lateness = took && took.size > 0 ? latenessOf(took, declared) : null;
  if (!lateness || lateness.samples < o.minSamples) return { factor, key, declared, lateness, suggested: null, finding: 'not_enough_evidence' };
  const suggested = daysForTarget(took!, o.target);
  const finding = suggested > declared ? 'too_fast' : suggested < declared ? 'cautious' : 'holds';
  return { factor, key, declared, lateness, suggested, finding };
}

/**
 * Every lane (per region) and handling of `caps`, and the lead times of
 * `products` (those worth a row: the edge passes the ones the file declares or
 * the history knows), in the file's order.
 */
export function calibrate(
  caps: Pick<Policy, 'locations'>,
  products: readonly (ProductLeads & { sku: string })[],
  history: History,
  o: CalibrateOptions,
): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  const lanes = history.get('lane');
  for (const loc of caps.locations) {
    const pooled: Map<number, number>[] = [];
    for (const lane of loc.lanes) {
      for (const region of lane.to) {
        const key = laneKey(loc.id, lane.method, region);
        const took = lanes?.get(key);
        rows.push(judged('lane', key, lane.transit_days, took, o));
        // Handling pools the lanes' lateness: days late, whatever the lane's transit.
        if (took) pooled.push(new Map([...took].map(([v, n]) => [v - lane.transit_days + loc.handling_days, n])));
      }
    }
    const handling = judged('handling', loc.id, loc.handling_days, mergeHistograms(pooled), o);
    rows.push(handling.finding === 'not_enough_evidence' ? handling : { ...handling, suggested: null, finding: 'information' });
  }
  for (const p of products) {
    for (const factor of ['make_to_order', 'replenishment'] as const) {
      const declared = p[factor]?.lead_days;
      if (declared !== undefined) rows.push(judged(factor, p.sku, declared, history.get(factor)?.get(p.sku), o));
    }
  }
  return rows;
}

/** What --check fails on: the file promises faster than the history allows at the target. */
export const tooFast = (rows: readonly CalibrationRow[]): CalibrationRow[] => rows.filter((r) => r.finding === 'too_fast');

/**
 * The days to write for one lane entry serving several regions (one number for
 * all): the most any region with enough evidence needs; shorter only when every
 * region has enough evidence and all allow it. Null: leave it as it is.
 */
export function laneEntryDays(regionRows: readonly CalibrationRow[], declared: number): number | null {
  const judgedRows = regionRows.filter((r) => r.suggested !== null);
  if (judgedRows.length === 0) return null;
  const most = Math.max(...judgedRows.map((r) => r.suggested!));
  if (most > declared) return most;
  if (most < declared && judgedRows.length === regionRows.length) return most;
  return null;
}
