// calibrate's statistics on a seeded generated history whose lateness per lane
// is known: the suggestions are the hand-computed ones (docs/calibrate.md).
import { describe, expect, it } from 'vitest';
import { calibrate, historyOf, laneEntryDays, tooFast } from '../../src/core/learn/calibrate.js';
import { laneKey } from '../../src/core/learn/factors.js';
import { daysForTarget, latenessOf, nearestRank } from '../../src/core/learn/stats.js';

/** mulberry32: a small seeded generator, so the history is the same on every run. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `counts` outcomes per lateness, in a seeded random order, as rows of days taken. */
function generated(factor: string, key: string, declared: number, counts: Record<number, number>, random: () => number) {
  const late = Object.entries(counts).flatMap(([l, n]) => Array<number>(n).fill(Number(l)));
  for (let i = late.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [late[i], late[j]] = [late[j]!, late[i]!];
  }
  return late.map((l) => ({ factor, key, took: declared + l, n: 1 }));
}

const caps = {
  locations: [
    {
      id: 'berlin',
      cutoff: '14:00',
      handling_days: 1,
      lanes: [
        { to: ['DE', 'AT'], method: 'standard', transit_days: 2 },
        { to: ['FR'], method: 'standard', transit_days: 4 },
      ],
    },
    { id: 'rotterdam', cutoff: '12:00', handling_days: 2, lanes: [{ to: ['GB'], method: 'standard', transit_days: 5 }] },
  ],
};
const products = [
  { sku: 'PUMP-900', make_to_order: { lead_days: 15 } },
  { sku: 'VALVE', replenishment: { lead_days: 10 } },
];

describe('calibrate on a seeded history', () => {
  const random = seeded(24);
  const history = historyOf([
    // DE: 30 on time, 6 one day late, 3 two days, 1 four days (40).
    ...generated('lane', laneKey('berlin', 'standard', 'DE'), 2, { 0: 30, 1: 6, 3: 0, 2: 3, 4: 1 }, random),
    // AT: 5 outcomes, below the minimum of 20.
    ...generated('lane', laneKey('berlin', 'standard', 'AT'), 2, { 0: 4, 1: 1 }, random),
    // FR: 20, 19 of them one day early, 1 on the day.
    ...generated('lane', laneKey('berlin', 'standard', 'FR'), 4, { '-1': 19, 0: 1 }, random),
    // GB: 25, every one two days early.
    ...generated('lane', laneKey('rotterdam', 'standard', 'GB'), 5, { '-2': 25 }, random),
    // PUMP-900's build: 20, lateness 0..9 twice each.
    ...generated('make_to_order', 'PUMP-900', 15, Object.fromEntries([...Array(10).keys()].map((l) => [l, 2])), random),
    // VALVE bought in: 20 of which 19 on time and one 6 days late.
    ...generated('replenishment', 'VALVE', 10, { 0: 19, 6: 1 }, random),
  ]);
  const rows = calibrate(caps, products, history, { target: 0.95, minSamples: 20 });
  const row = (factor: string, key: string) => rows.find((r) => r.factor === factor && r.key === key)!;

  it('nearest rank: the ceil(p·n)-th smallest outcome, a lateness that really happened', () => {
    // DE sorted: 30 zeros (ranks 1-30), 6 ones (31-36), 3 twos (37-39), one 4 (40).
    expect(row('lane', 'berlin standard DE')).toEqual({
      factor: 'lane',
      key: 'berlin standard DE',
      declared: 2,
      lateness: { samples: 40, on_time: 30, on_time_share: 0.75, p50: 0, p90: 1, p95: 2, max: 4 },
      // rank ceil(0.95·40) = 38 took 2 + 2 = 4 workdays.
      suggested: 4,
      finding: 'too_fast',
    });
  });

  it('below --min-samples: not enough evidence, no suggestion', () => {
    expect(row('lane', 'berlin standard AT')).toMatchObject({ lateness: { samples: 5 }, suggested: null, finding: 'not_enough_evidence' });
  });

  it('more cautious than the history: the faster days that would have held', () => {
    // FR: rank 19 of 20 is one day early: 3 days would have met 95%.
    expect(row('lane', 'berlin standard FR')).toMatchObject({ lateness: { p50: -1, p90: -1, p95: -1, max: 0 }, suggested: 3, finding: 'cautious' });
    expect(row('lane', 'rotterdam standard GB')).toMatchObject({ lateness: { on_time_share: 1, max: -2 }, suggested: 3, finding: 'cautious' });
  });

  it('lead times: make to order and replenishment', () => {
    // 0..9 twice: rank 19 is 9 (ranks 19-20), so 15 + 9 = 24; p50 rank 10 is 4, p90 rank 18 is 8.
    expect(row('make_to_order', 'PUMP-900')).toMatchObject({ lateness: { p50: 4, p90: 8, p95: 9, max: 9 }, suggested: 24, finding: 'too_fast' });
    // 19 of 20 on time is exactly 95%: the declared days hold.
    expect(row('replenishment', 'VALVE')).toMatchObject({ lateness: { on_time_share: 0.95, p95: 0, max: 6 }, suggested: 10, finding: 'holds' });
  });

  it('handling pools its lanes, for information only', () => {
    // berlin: 40 + 5 + 20 outcomes, lateness of their lanes.
    expect(row('handling', 'berlin')).toMatchObject({ lateness: { samples: 65 }, suggested: null, finding: 'information' });
    expect(row('handling', 'rotterdam')).toMatchObject({ lateness: { samples: 25, max: -2 }, finding: 'information' });
  });

  it('--check flags exactly what promises faster than the history', () => {
    expect(tooFast(rows).map((r) => `${r.factor} ${r.key}`)).toEqual(['lane berlin standard DE', 'make_to_order PUMP-900']);
  });

  it('a lane entry serving several regions: the most any needs; shorter only when every region agrees', () => {
    expect(laneEntryDays([row('lane', 'berlin standard DE'), row('lane', 'berlin standard AT')], 2)).toBe(4);
    const fr = row('lane', 'berlin standard FR');
    expect(laneEntryDays([fr], 4)).toBe(3);
    expect(laneEntryDays([fr, row('lane', 'berlin standard AT')], 4)).toBeNull();
  });

  it('a target of 1 needs the worst day ever seen; rank arithmetic does not drift in floating point', () => {
    const h = new Map([
      [0, 93],
      [1, 7],
    ]);
    expect(daysForTarget(h, 1)).toBe(1);
    // 0.93·100 is 93.00000000000001 in floating point: still rank 93.
    expect(nearestRank(h, 0.93)).toBe(0);
    expect(latenessOf(new Map([[3, 1]]), 5)).toEqual({ samples: 1, on_time: 1, on_time_share: 1, p50: -2, p90: -2, p95: -2, max: -2 });
  });
});
