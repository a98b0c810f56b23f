// Hand-worked cases on a Sunday-to-Thursday company (fixtures/companies/sydney.yaml);
// the day-by-day working is in the comments, the fixture lists the workdays.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/core/checkPromise.js';
import { Ledger } from '../../../src/core/commitments/ledger.js';
import type { DeliveryPromise } from '../../../src/core/promise.js';
import { parseIsoDay } from '../../../src/core/time/days.js';
import { company } from '../../helpers/company.js';

const { model, now } = company('sydney', '2026-10-12T09:00');
const delivery = (p: Partial<DeliveryPromise>): DeliveryPromise => ({ kind: 'delivery', sku: 'GASKET', qty: 10, to: 'NSW', by: '2026-10-22', ...p });
const run = (p: Partial<DeliveryPromise>, ledger = new Ledger()) => check(model, delivery(p), ledger, now);
const day = (iso: string) => parseIsoDay(iso)!;

describe('stock and make to order at one location ship together', () => {
  it('1 on hand + 3 built in the week of 19 October: 4 ship on the 19th, not on 1 November', () => {
    // Order Mon 12 (before 15:00). Stock ready Tue 13 (1 on hand). Built: 5 workdays
    // after Mon 12 is Mon 19; 3 a week fit that week. Both ready Mon 19; truck 0 days.
    const r = run({ sku: 'TURBINE-X', qty: 4 });
    expect(r.verdict).toBe('feasible');
    expect(r.plan).toEqual({
      from: 'sydney',
      method: 'truck',
      source: 'stock_and_make_to_order',
      order_date: '2026-10-12',
      ship_date: '2026-10-19',
      delivery_date: '2026-10-19',
      spare_days: 3, // Tue 20, Wed 21, Thu 22
    });
    expect(r.holds).toEqual([
      { location: 'sydney', sku: 'TURBINE-X', qty: 1, day: day('2026-10-19'), source: 'stock' },
      { location: 'sydney', sku: 'TURBINE-X', qty: 3, day: day('2026-10-19'), source: 'make_to_order' },
    ]);
    expect(r.reasons.find((x) => x.rule === 'stock')?.message).toBe('sydney ships 1 from stock and 3 built to order, together on 2026-10-19');
  });

  it('with the unit on hand committed, building alone is what is left: the 4th finishes Sun 1 November', () => {
    const taken = Ledger.of([{ location: 'sydney', sku: 'TURBINE-X', qty: 1, day: day('2026-10-13'), source: 'stock' }]);
    const r = run({ sku: 'TURBINE-X', qty: 4 }, taken);
    expect(r.verdict).toBe('infeasible');
    expect(r.alternatives[0]).toMatchObject({ kind: 'earliest_date', plan: { source: 'make_to_order', ship_date: '2026-11-01' } });
  });

  it('committing the combined plan holds the stock and the capacity it uses', () => {
    const first = run({ sku: 'TURBINE-X', qty: 4 });
    const after = run({ sku: 'TURBINE-X', qty: 1, by: '2026-11-05' }, Ledger.of(first.holds));
    // No stock left, no capacity left in the week of the 19th: the next unit is built the week after.
    expect(after.plan).toMatchObject({ source: 'make_to_order', ship_date: '2026-11-01' });
  });
});

describe('what the reasons say', () => {
  it('not enough stock says what will exist and when, not just today', () => {
    // 150 arrive Tue 20, handled one workday: ready Wed 21, 180 in all.
    const r = run({ qty: 200, from: 'sydney' });
    expect(r.reasons.find((x) => x.rule === 'stock')?.message).toBe(
      'not enough stock for 200, even counting incoming supply: available to promise sydney 30 on 2026-10-13, 180 from 2026-10-21',
    );
  });

  it('a lane ruled out by the rep’s --from says so, and where one exists', () => {
    const r = run({ to: 'VIC', method: 'rail', from: 'sydney', by: '2026-10-30' });
    expect(r.reasons.find((x) => x.rule === 'lane')?.message).toBe('no rail lane from sydney reaches VIC; perth has one (drop --from or use --from perth)');
    expect(r.alternatives.map((a) => a.kind)).toContain('other_location');
  });
});

describe('ties between equally early plans', () => {
  it('the cheaper lane wins: perth by truck (60) over sydney by air (400), both arriving Wed 14', () => {
    // sydney: ready Tue 13, air 1 day → Wed 14. perth: cut-off 12:00, handling 2 → Wed 14, truck 0 days.
    const r = run({ to: 'WA' });
    expect(r.plan).toMatchObject({ from: 'perth', method: 'truck', delivery_date: '2026-10-14' });
  });
});

describe('a split lists its parts in the order they arrive', () => {
  it('50 to VIC: 10 from sydney by air arrive before the 40 from perth by rail', () => {
    // Headline: sydney has 50 only from Wed 21 (air → Thu 22, no spare day): at risk.
    // Most by the 22nd: perth's 40 by rail (Wed 14 + 4 workdays = Tue 20). The other 10: sydney by air, Wed 14.
    const r = run({ qty: 50, to: 'VIC' });
    expect(r.verdict).toBe('at_risk');
    const split = r.alternatives.find((a) => a.kind === 'split')!;
    expect(split.promise).toMatchObject({ qty: 10, by: '2026-10-15' });
    expect(split.then?.promise).toMatchObject({ qty: 40, by: '2026-10-22' });
    expect(split.summary).toBe('10 GASKET by 2026-10-15 (from sydney, arrives 2026-10-14) and the other 40 by 2026-10-22 (from perth, arrives 2026-10-20).');
  });
});
