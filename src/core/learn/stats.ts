// Lateness statistics over histograms (LEARN.md). Nearest-rank percentiles: the
// p-th percentile is a value that really happened (the ceil(p·n)-th smallest),
// never an interpolation between two days, so "p95 = 3" means at least 95% of
// the deliveries were at most 3 workdays late, exactly what a declared number of
// days must cover. The same rule gives the days that meet a target.

/** How many outcomes took each number of workdays. */
export type Histogram = ReadonlyMap<number, number>;

export interface Lateness {
  samples: number;
  /** Delivered on or before the day the declared days predict. */
  on_time: number;
  on_time_share: number;
  /** Workdays after the predicted day (negative: early), nearest-rank. */
  p50: number;
  p90: number;
  p95: number;
  max: number;
}

/** Adds counts (several lanes of one location, say). */
export function mergeHistograms(parts: readonly Histogram[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const h of parts) for (const [v, n] of h) out.set(v, (out.get(v) ?? 0) + n);
  return out;
}

/** The smallest value v with at least ceil(p·n) outcomes at or below it (p in (0, 1]). */
export function nearestRank(h: Histogram, p: number): number {
  const sorted = [...h.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (total === 0) throw new Error('nearestRank of an empty histogram');
  // The epsilon keeps 0.07·100 (7.000000000000001 in floating point) at rank 7.
  const rank = Math.max(1, Math.ceil(p * total - 1e-9));
  let seen = 0;
  for (const [v, n] of sorted) {
    seen += n;
    if (seen >= rank) return v;
  }
  return sorted.at(-1)![0];
}

/** Lateness against `declared` days of a histogram of days taken. */
export function latenessOf(took: Histogram, declared: number): Lateness {
  const late = new Map<number, number>();
  let samples = 0;
  let onTime = 0;
  for (const [v, n] of took) {
    late.set(v - declared, (late.get(v - declared) ?? 0) + n);
    samples += n;
    if (v <= declared) onTime += n;
  }
  return {
    samples,
    on_time: onTime,
    on_time_share: samples === 0 ? 0 : onTime / samples,
    p50: nearestRank(late, 0.5),
    p90: nearestRank(late, 0.9),
    p95: nearestRank(late, 0.95),
    max: Math.max(...late.keys()),
  };
}

/** The fewest declared days (never below 0) that would have met `target` over this history. */
export const daysForTarget = (took: Histogram, target: number): number => Math.max(0, nearestRank(took, target));

/** The log's rows (factor, key, days taken, count) as histograms: factor → key → days → count. */
export function historyOf(rows: Iterable<{ factor: string; key: string; took: number; n: number }>): Map<string, Map<string, Map<number, number>>> {
  const out = new Map<string, Map<string, Map<number, number>>>();
  for (const r of rows) {
    const byKey = out.get(r.factor) ?? new Map<string, Map<number, number>>();
    out.set(r.factor, byKey);
    const h = byKey.get(r.key) ?? new Map<number, number>();
    byKey.set(r.key, h);
    h.set(Number(r.took), (h.get(Number(r.took)) ?? 0) + Number(r.n));
  }
  return out;
}
