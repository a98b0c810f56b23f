// Orders, customer terms, protected stock and substitutes, worked by hand on
// fixtures/companies/newark.yaml (its header lists the workdays).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/core/checkPromise.js';
import { Ledger } from '../../../src/core/commitments/ledger.js';
import type { OrderPlan } from '../../../src/core/order/evaluate.js';
import type { DeliveryPromise, OrderPromise } from '../../../src/core/promise.js';
import { company } from '../../helpers/company.js';

const { model, now } = company('newark', '2026-11-23T09:00');
const order = (lines: [string, number][], extra: Partial<OrderPromise> = {}): OrderPromise => ({
  kind: 'order',
  lines: lines.map(([sku, qty]) => ({ sku, qty })),
  to: 'NJ',
  by: '2026-12-04',
  ...extra,
});
const delivery = (p: Partial<DeliveryPromise>): DeliveryPromise => ({ kind: 'delivery', sku: 'PUMP', qty: 10, to: 'NJ', by: '2026-12-04', ...p });

describe('orders with several lines', () => {
  it('two lines of one sku never count the same units twice: the second ships from reno', () => {
    // newark holds 100, 30 of them protected for key customers: 70 for anyone else.
    // Line 1 (60) takes newark's; line 2 (50) fits newark alone but not after line 1.
    const r = check(
      model,
      order([
        ['PUMP', 60],
        ['PUMP', 50],
      ]),
      new Ledger(),
      now,
    );
    expect(r.verdict).toBe('feasible');
    const plan = r.plan as OrderPlan;
    expect(plan.lines.map((l) => [l.from, l.delivery_date])).toEqual([
      ['newark', '2026-11-25'],
      ['reno', '2026-12-01'], // ready Tue 24, freight 4 workdays: Wed 25, Fri 27, Mon 30, Tue 1
    ]);
    expect(plan).toMatchObject({ delivery_date: '2026-12-01', spare_days: 3 });
    expect(r.holds.map((h) => [h.location, h.qty])).toEqual([
      ['newark', 60],
      ['reno', 50],
    ]);
  });

  it('a make-to-order line beside a stock line: the order waits for the built one', () => {
    // MOTOR: 5 workdays after Mon 23 is Tue 1 Dec, truck → Wed 2 Dec. PUMP arrives Wed 25 Nov.
    const r = check(
      model,
      order(
        [
          ['PUMP', 10],
          ['MOTOR', 5],
        ],
        { by: '2026-12-11' },
      ),
      new Ledger(),
      now,
    );
    expect(r.plan).toMatchObject({ delivery_date: '2026-12-02', spare_days: 7 });
    expect((r.plan as OrderPlan).lines.map((l) => l.source)).toEqual(['stock', 'make_to_order']);
  });

  it('the worst line decides, reasons name their line, and the earliest date has every line there', () => {
    // SEAL: 60 on hand, 100 more arrive Thu 10 Dec (ready Fri 11, arrives Mon 14).
    const r = check(
      model,
      order([
        ['PUMP', 10],
        ['SEAL', 100],
      ]),
      new Ledger(),
      now,
    );
    expect(r.verdict).toBe('infeasible');
    expect(r.reasons.find((x) => !x.ok)).toMatchObject({ line: 2, rule: 'calendar' }); // enough SEAL only from 11 Dec
    expect(r.alternatives.map((a) => [a.kind, a.promise.kind === 'order' && a.promise.by])).toEqual([
      ['earliest_date', '2026-12-14'],
      ['split', '2026-12-04'],
    ]);
    const split = r.alternatives[1]!;
    expect(split.then?.promise).toMatchObject({ lines: [{ sku: 'SEAL', qty: 100 }], by: '2026-12-14' });
    expect(split.summary).toBe('10 PUMP by 2026-12-04 (there by 2026-11-25) and 100 SEAL by 2026-12-14 (there by 2026-12-14).');
  });
});

describe('customer terms', () => {
  const tuesday = company('newark', '2026-11-24T09:00');
  it('receiving days move a delivery across the Thanksgiving holiday and the weekend', () => {
    // Ships Wed 25; truck 1 workday skips Thu 26 (holiday): Fri 27. Globex receives Mon-Thu: Mon 30.
    const anyone = check(tuesday.model, delivery({}), new Ledger(), tuesday.now);
    const globex = check(tuesday.model, delivery({ customer: 'globex' }), new Ledger(), tuesday.now);
    expect(anyone.plan).toMatchObject({ ship_date: '2026-11-25', delivery_date: '2026-11-27', spare_days: 5 });
    expect(globex.plan).toMatchObject({ ship_date: '2026-11-25', delivery_date: '2026-11-30', spare_days: 4 });
  });

  it('no partial deliveries: no split, for an order or a single promise', () => {
    const r = check(
      model,
      order(
        [
          ['PUMP', 10],
          ['SEAL', 100],
        ],
        { customer: 'globex' },
      ),
      new Ledger(),
      now,
    );
    expect(r.alternatives.map((a) => a.kind)).toEqual(['earliest_date']);
    const single = check(model, delivery({ sku: 'SEAL', qty: 100, customer: 'globex' }), new Ledger(), now);
    expect(single.alternatives.map((a) => a.kind)).not.toContain('split');
    expect(check(model, delivery({ sku: 'SEAL', qty: 100 }), new Ledger(), now).alternatives.map((a) => a.kind)).toContain('split');
  });

  it('a customer text that is no customer id gets the default terms', () => {
    const r = check(model, delivery({ customer: 'Globex Corp.' }), new Ledger(), now);
    expect(r.plan).toMatchObject({ delivery_date: '2026-11-25' });
  });
});

describe('protected stock', () => {
  it('held back from everyone outside the segment, on every day; promised to the segment', () => {
    expect(check(model, delivery({ qty: 80, from: 'newark' }), new Ledger(), now).verdict).toBe('infeasible');
    expect(check(model, delivery({ qty: 80, from: 'newark', customer: 'initech' }), new Ledger(), now).verdict).toBe('infeasible');
    const key = check(model, delivery({ qty: 80, from: 'newark', customer: 'globex' }), new Ledger(), now);
    expect(key.verdict).toBe('feasible');
    expect(key.holds[0]).toMatchObject({ qty: 80, protected: 30 }); // the protected units first
  });

  it('after a key customer’s commitment the protected units it used are gone, the rest still kept', () => {
    const key = check(model, delivery({ qty: 20, from: 'newark', customer: 'globex' }), new Ledger(), now);
    expect(key.holds[0]).toMatchObject({ qty: 20, protected: 20 });
    const ledger = Ledger.of(key.holds);
    // 100 - 20 held = 80, of which 10 still protected: 70 for others, as before.
    expect(check(model, delivery({ qty: 70, from: 'newark' }), ledger, now).verdict).toBe('feasible');
    expect(check(model, delivery({ qty: 71, from: 'newark' }), ledger, now).verdict).toBe('infeasible');
  });
});

describe('substitutes', () => {
  it('the first listed substitute that makes the date is offered, naming both; one that does not is skipped', () => {
    // 100 PUMP by Wed 25: newark has 70 for this customer, reno arrives Tue 1 Dec.
    // PUMP-PRO is only at reno (too late); PUMP-XL is at newark.
    const r = check(model, delivery({ qty: 100, by: '2026-11-25' }), new Ledger(), now);
    expect(r.verdict).toBe('infeasible');
    const sub = r.alternatives.find((a) => a.kind === 'substitute');
    expect(sub).toMatchObject({ promise: { sku: 'PUMP-XL', qty: 100 } });
    expect(sub!.summary).toBe('100 PUMP-XL instead of PUMP to NJ by 2026-11-25 (ships from newark by truck, arrives 2026-11-25).');
    expect(r.alternatives.some((a) => a.promise.kind === 'delivery' && a.promise.sku === 'PUMP-PRO')).toBe(false);
  });
});

describe('properties', () => {
  const line = fc.tuple(fc.constantFrom('PUMP', 'PUMP-PRO', 'PUMP-XL', 'SEAL', 'MOTOR'), fc.integer({ min: 1, max: 120 }));
  const anOrder = fc.record({
    lines: fc.array(line, { minLength: 1, maxLength: 4 }),
    by: fc.integer({ min: 0, max: 40 }).map((d) => new Date(Date.UTC(2026, 10, 23 + d)).toISOString().slice(0, 10)),
    customer: fc.constantFrom(undefined, 'globex', 'initech'),
  });

  it('an order is feasible exactly when its lines, planned in sequence, each are; its alternatives re-check feasible', () => {
    fc.assert(
      fc.property(anOrder, ({ lines, by, customer }) => {
        const p = order(lines, { by, ...(customer ? { customer } : {}) });
        const r = check(model, p, new Ledger(), now);
        let ledger = new Ledger();
        let all = true;
        for (const l of p.lines) {
          const one = check(model, delivery({ sku: l.sku, qty: l.qty, by, ...(customer ? { customer } : {}) }), ledger, now);
          all &&= one.verdict === 'feasible';
          ledger = ledger.with(one.holds);
        }
        expect(r.verdict === 'feasible').toBe(all);
        for (const alt of r.alternatives) expect(check(model, alt.promise, new Ledger(), now).verdict).toBe('feasible');
      }),
    );
  });

  it('protected units never go to another segment, whatever is committed in whatever order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.constantFrom(undefined, 'globex', 'initech')), { maxLength: 12 }), (commits) => {
        const ledger = new Ledger();
        let others = 0;
        for (const [qty, customer] of commits) {
          const r = check(model, delivery({ qty, from: 'newark', by: '2026-12-31', ...(customer ? { customer } : {}) }), ledger, now);
          if (r.verdict !== 'feasible') continue;
          for (const h of r.holds) ledger.add(h);
          if (customer !== 'globex') others += qty;
        }
        expect(others).toBeLessThanOrEqual(70);
      }),
    );
  });
});
