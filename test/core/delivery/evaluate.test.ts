import { describe, expect, it } from 'vitest';
import { check } from '../../../src/core/checkPromise.js';
import { Ledger } from '../../../src/core/commitments/ledger.js';
import type { DeliveryPlan } from '../../../src/core/delivery/evaluate.js';
import type { DeliveryPromise } from '../../../src/core/promise.js';
import { parseIsoDay } from '../../../src/core/time/days.js';
import { berlin } from '../../helpers/model.js';
import { specModel } from '../../helpers/spec.js';

const m = specModel();
const NOW = berlin('2026-11-23T10:00');
const empty = Ledger.of([]);
const delivery = (p: Partial<DeliveryPromise>): DeliveryPromise => ({ kind: 'delivery', sku: 'PUMP-100', qty: 50, to: 'DE', by: '2026-12-04', ...p });
const run = (p: Partial<DeliveryPromise>, ledger = empty, now = NOW) => check(m, delivery(p), ledger, now);

describe('delivery check on the spec example', () => {
  it('50 pumps to DE by 4 December: feasible from berlin, express arrives Wednesday', () => {
    const r = run({});
    expect(r.verdict).toBe('feasible');
    // Order Monday before 14:00; handling 1 → ready Tuesday; express 1 day → Wednesday.
    expect(r.plan).toEqual({
      from: 'berlin',
      method: 'express',
      source: 'stock',
      order_date: '2026-11-23',
      ship_date: '2026-11-24',
      delivery_date: '2026-11-25',
      spare_days: 7,
    });
    expect(r.alternatives).toEqual([]);
    expect(r.reasons.map((x) => x.rule)).toEqual(['sku', 'lane', 'stock', 'calendar', 'safety']);
  });

  it('after the cut-off the order day moves to the next workday', () => {
    const r = run({}, empty, berlin('2026-11-23T14:30'));
    expect(r.plan).toMatchObject({ order_date: '2026-11-24', ship_date: '2026-11-25', delivery_date: '2026-11-26' });
  });

  it('zero spare days with safety_days 1 is at risk, with a safe date offered', () => {
    const r = run({ by: '2026-11-25' });
    expect(r.verdict).toBe('at_risk');
    expect((r.plan as DeliveryPlan).delivery_date).toBe('2026-11-25');
    expect(r.reasons.find((x) => x.rule === 'safety')).toMatchObject({ ok: false, effect: 'at_risk' });
    expect(r.alternatives[0]).toMatchObject({ kind: 'earliest_date', promise: { by: '2026-11-26' } });
  });

  it('more than on hand: waits for incoming supply (arrives Mon 14 Dec, ready Tue 15 Dec)', () => {
    const r = run({ qty: 150, by: '2026-12-18' });
    expect(r.verdict).toBe('feasible');
    expect(r.plan).toMatchObject({ from: 'berlin', ship_date: '2026-12-15', delivery_date: '2026-12-16' });
  });

  it('infeasible by date: earliest date, max quantity and split are offered and each re-checks feasible', () => {
    const r = run({ qty: 150, by: '2026-11-26' });
    expect(r.verdict).toBe('infeasible');
    expect(r.plan).toBeNull();
    const kinds = r.alternatives.map((a) => a.kind);
    expect(kinds).toEqual(['earliest_date', 'max_quantity', 'split']);
    const [earliest, most, split] = r.alternatives;
    expect(earliest!.promise).toMatchObject({ qty: 150, by: '2026-12-17' });
    expect(most!.promise).toMatchObject({ qty: 120, by: '2026-11-26' });
    expect(split!.then?.promise).toMatchObject({ qty: 30, by: '2026-11-30' });
    expect(split!.then?.plan).toMatchObject({ from: 'rotterdam' });
    for (const alt of r.alternatives) expect(check(m, alt.promise, empty, NOW).verdict).toBe('feasible');
    // The split's second part is feasible while the first part holds its stock.
    const held = empty.with(most!.holds);
    expect(check(m, split!.then!.promise, held, NOW).verdict).toBe('feasible');
  });

  it('a pinned method or location that cannot make it gets another lane or location', () => {
    const slow = run({ qty: 50, by: '2026-11-25', method: 'standard' });
    expect(slow.verdict).toBe('infeasible');
    expect(slow.alternatives.find((a) => a.kind === 'other_method')).toBeUndefined(); // express arrives on the day: at risk, not offered
    const gb = run({ qty: 10, to: 'GB', by: '2026-12-20', from: 'berlin' });
    expect(gb.verdict).toBe('infeasible');
    // The rep's own --from is the reason, and the message says so.
    expect(gb.reasons.find((x) => x.rule === 'lane')?.message).toBe('no lane from berlin reaches GB; rotterdam has one (drop --from or use --from rotterdam)');
    expect(gb.alternatives).toEqual([expect.objectContaining({ kind: 'other_location', promise: expect.objectContaining({ from: 'rotterdam' }) })]);
    // Rotterdam by standard arrives on the day (at risk); berlin by standard a day early.
    const pinned = run({ qty: 30, by: '2026-11-27', method: 'standard', from: 'rotterdam' });
    expect(pinned.verdict).toBe('at_risk');
    expect(pinned.alternatives.find((a) => a.kind === 'other_location')).toMatchObject({
      promise: { from: 'berlin', method: 'standard' },
      plan: { delivery_date: '2026-11-26', spare_days: 1 },
    });
  });

  it('unknown sku: infeasible with the nearest names', () => {
    const r = run({ sku: 'PUMP-10' });
    expect(r.verdict).toBe('infeasible');
    expect(r.reasons).toEqual([{ rule: 'sku', ok: false, effect: 'infeasible', message: 'unknown sku "PUMP-10" (did you mean PUMP-100 or PUMP-900?)' }]);
    expect(r.alternatives).toEqual([]);
  });

  it('a region no lane reaches: says which regions are served', () => {
    const r = run({ to: 'PL' });
    expect(r.verdict).toBe('infeasible');
    expect(r.reasons.find((x) => x.rule === 'lane')?.message).toBe('no lane reaches PL from berlin, rotterdam; PUMP-100 ships to AT, BE, CH, DE, FR, GB, NL');
  });

  it('commitments hold stock for later checks (SEMANTICS §3)', () => {
    const first = run({ qty: 100 });
    expect(first.verdict).toBe('feasible');
    const ledger = Ledger.of(first.holds);
    // 120 on hand, 100 held: 20 left before the incoming supply.
    const second = run({ qty: 30, by: '2026-11-27' }, ledger);
    expect((second.plan as DeliveryPlan).from).toBe('rotterdam');
    const third = run({ qty: 60, by: '2026-11-27' }, ledger);
    expect(third.verdict).toBe('infeasible');
    // Rotterdam's 40 would arrive on the day (at risk), so the most that is safe is berlin's 20.
    expect(third.alternatives.find((a) => a.kind === 'max_quantity')?.promise).toMatchObject({ qty: 20 });
  });

  it('a commitment far in the future still reserves stock today (look-ahead)', () => {
    const dec15 = parseIsoDay('2026-12-15')!;
    // 300 held for 15 December: berlin has 120 + 200 = 320 by then, so only 20 may go now.
    const ledger = Ledger.of([{ location: 'berlin', sku: 'PUMP-100', qty: 300, day: dec15, source: 'stock' }]);
    const r = run({ qty: 25, from: 'berlin' }, ledger);
    expect(r.verdict).toBe('infeasible');
    expect(run({ qty: 20, from: 'berlin' }, ledger).verdict).toBe('feasible');
  });

  it('make to order: lead time, weekly capacity, committed capacity', () => {
    // PUMP-900: 15 workdays lead, 4 a week at berlin. Order Mon 23 Nov → ready Mon 14 Dec.
    const four = run({ sku: 'PUMP-900', qty: 4, to: 'AT', by: '2027-01-29' });
    expect(four.plan).toMatchObject({ source: 'make_to_order', ship_date: '2026-12-14', delivery_date: '2026-12-16' });
    // Ten units: 4 in the week of 14 Dec, 4 in the next (its last workday is Wed 23 Dec:
    // 24 and 25 are holidays), 2 in the week after (last workday Wed 30 Dec).
    const ten = run({ sku: 'PUMP-900', qty: 10, to: 'AT', by: '2027-01-29' });
    expect(ten.plan).toMatchObject({ source: 'make_to_order', ship_date: '2026-12-30' });
    expect(ten.holds.map((h) => h.qty)).toEqual([4, 4, 2]);
    // With the first week's capacity committed, four units finish in the next week.
    const ledger = Ledger.of(four.holds);
    expect(run({ sku: 'PUMP-900', qty: 4, to: 'AT', by: '2027-01-29' }, ledger).plan).toMatchObject({ ship_date: '2026-12-23' });
  });

  it('every alternative offered re-checks as feasible across many promises', () => {
    for (const qty of [1, 50, 119, 120, 121, 160, 300, 400]) {
      for (const by of ['2026-11-24', '2026-11-26', '2026-12-04', '2026-12-16', '2027-01-15']) {
        for (const extra of [{}, { method: 'standard' }, { from: 'rotterdam' }, { sku: 'PUMP-900' }]) {
          const r = run({ qty, by, ...extra });
          for (const alt of r.alternatives) {
            expect(check(m, alt.promise, empty, NOW).verdict, `${qty} ${by} ${alt.kind}`).toBe('feasible');
          }
        }
      }
    }
  });
});
