// Open commitments re-planned against changed capabilities (COMMITMENTS.md), on
// the spec example: 30 PUMP-100 to DE by 4 December, checked Monday 23 November
// 10:00, ship from berlin (cut-off 14:00, 1 handling day) on Tuesday the 24th by
// express (1 day), delivered Wednesday the 25th. One hand-worked case per kind
// of change, then the priority order and the check's re-plan path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Capabilities } from '../../../src/capabilities/capabilitiesSchema.js';
import { check } from '../../../src/core/checkPromise.js';
import { Ledger, overdrawnSkus } from '../../../src/core/commitments/ledger.js';
import { ledgerFor, type OpenCommitment, replanAll } from '../../../src/core/commitments/replan.js';
import { compileAll, type Model } from '../../../src/core/model.js';
import type { DeliveryPromise } from '../../../src/core/promise.js';
import { isoDay } from '../../../src/core/time/days.js';
import { SPEC_EXAMPLE } from '../../helpers/cli.js';
import { berlin } from '../../helpers/model.js';

const NOW = berlin('2026-11-23T10:00');

// biome-ignore lint/suspicious/noExplicitAny: a test patches raw YAML data of any shape
type Raw = Record<string, any>;
function company(patch: (raw: Raw) => void = () => {}): Model {
  const raw = parse(readFileSync(SPEC_EXAMPLE, 'utf8'));
  patch(raw);
  return compileAll(Capabilities.parse(raw));
}
const product = (raw: Raw, sku: string) => raw.products.find((p: Raw) => p.sku === sku);
const location = (raw: Raw, id: string) => raw.locations.find((l: Raw) => l.id === id);

const pumps = (qty: number, extra: Partial<DeliveryPromise> = {}): DeliveryPromise => ({
  kind: 'delivery',
  sku: 'PUMP-100',
  qty,
  to: 'DE',
  by: '2026-12-04',
  ...extra,
});

/** The promise checked and committed on `model` at `now`, seeing `before`. */
function committed(model: Model, promise: DeliveryPromise, id = 1, opts: { now?: Date; firm?: boolean; before?: Ledger } = {}): OpenCommitment {
  const outcome = check(model, promise, opts.before ?? new Ledger(), opts.now ?? NOW);
  expect(outcome.verdict, 'the promise was feasible when made').toBe('feasible');
  return { id, outcome, alternative: null, firm: opts.firm ?? true, checkedAt: opts.now ?? NOW, holds: outcome.holds, parts: null };
}

function replanOne(model: Model, c: OpenCommitment, now = NOW) {
  const r = replanAll(model, [c], now).results[0]!;
  const plan = r.parts[0]!.now as { from: string; method: string; ship_date: string; delivery_date: string } | null;
  return { status: r.status, reason: r.reason, later: r.later, plan: plan && `${plan.from} ${plan.method} ${plan.ship_date} → ${plan.delivery_date}`, r };
}

describe('recheck re-plans: every kind of change is seen', () => {
  it('nothing changed: holds, same plan, nothing moves', () => {
    const r = replanOne(company(), committed(company(), pumps(30)));
    expect(r).toMatchObject({ status: 'holds', plan: 'berlin express 2026-11-24 → 2026-11-25', later: false });
    expect(r.r.moved).toBe(false);
  });

  it('on-hand stock: berlin drops to 0, rotterdam (order today, 2 handling days, 2 transit) delivers Friday the 27th', () => {
    const after = company((raw) => {
      product(raw, 'PUMP-100').stock.berlin.on_hand = 0;
    });
    const r = replanOne(after, committed(company(), pumps(30)));
    expect(r).toMatchObject({ status: 'changed', plan: 'rotterdam standard 2026-11-25 → 2026-11-27', later: true });
    expect(r.reason).toBe('berlin has only 0 PUMP-100 available to promise on 2026-11-24, 30 needed');
    expect(r.r.holds).toEqual([{ location: 'rotterdam', sku: 'PUMP-100', qty: 30, day: r.r.holds[0]!.day, source: 'stock' }]);
    expect(isoDay(r.r.holds[0]!.day)).toBe('2026-11-25');
  });

  it('an incoming date: 150 need the 200 due on 14 December; moved to the 18th they ship Monday the 21st, arrive the 22nd = by: at risk (policy wants 1 spare day)', () => {
    const promise = pumps(150, { by: '2026-12-22' });
    const c = committed(company(), promise);
    expect(replanOne(company(), c).plan).toBe('berlin express 2026-12-15 → 2026-12-16');
    const after = company((raw) => {
      product(raw, 'PUMP-100').stock.berlin.incoming[0].date = '2026-12-18';
    });
    expect(replanOne(after, c)).toMatchObject({ status: 'at_risk', plan: 'berlin express 2026-12-21 → 2026-12-22', later: true });
  });

  it('an incoming qty: 200 become 10: 150 can no longer be had by the 22nd: broken, with what can be promised instead', () => {
    const c = committed(company(), pumps(150, { by: '2026-12-22' }));
    const after = company((raw) => {
      product(raw, 'PUMP-100').stock.berlin.incoming[0].qty = 10;
    });
    const r = replanOne(after, c);
    expect(r.status).toBe('broken');
    expect(r.reason).toBe('berlin has only 130 PUMP-100 available to promise on 2026-12-15, 150 needed');
    expect(r.r.holds).toEqual(c.holds); // a broken commitment keeps what it holds
    expect(r.r.alternatives.map((a) => a.kind)).toContain('max_quantity');
  });

  it('lead_days 15 → 25 (make to order): ready 30 December, after the 22nd: broken', () => {
    const c = committed(company(), { kind: 'delivery', sku: 'PUMP-900', qty: 2, to: 'DE', by: '2026-12-22' });
    expect(replanOne(company(), c).plan).toBe('berlin express 2026-12-14 → 2026-12-15');
    const after = company((raw) => {
      product(raw, 'PUMP-900').make_to_order.lead_days = 25;
    });
    const r = replanOne(after, c);
    expect(r.status).toBe('broken');
    expect(r.reason).toBe('berlin is now ready to ship on 2026-12-30, after the planned 2026-12-14');
  });

  it('handling_days 1 → 7 at berlin: ready 2 December; rotterdam delivers the 27th, earlier: changed', () => {
    const after = company((raw) => {
      location(raw, 'berlin').handling_days = 7;
    });
    const r = replanOne(after, committed(company(), pumps(30)));
    expect(r).toMatchObject({ status: 'changed', plan: 'rotterdam standard 2026-11-25 → 2026-11-27' });
    expect(r.reason).toBe('berlin is now ready to ship on 2026-12-02, after the planned 2026-11-24');
  });

  it("a cut-off: checked 13:00 before berlin's 14:00; moved to 12:00 the order is Tuesday's: ships the 25th, arrives the 26th", () => {
    const at = berlin('2026-11-23T13:00');
    const c = committed(company(), pumps(30), 1, { now: at });
    const after = company((raw) => {
      location(raw, 'berlin').cutoff = '12:00';
    });
    expect(replanOne(after, c, at)).toMatchObject({ status: 'changed', plan: 'berlin express 2026-11-25 → 2026-11-26', later: true });
    // Unchanged, it holds after the cut-off and the next day (the order was placed at 13:00)...
    expect(replanOne(company(), c, berlin('2026-11-23T15:00')).status).toBe('holds');
    expect(replanOne(company(), c, berlin('2026-11-24T09:00')).status).toBe('holds');
    // ...but a quote is ordered only when confirmed: on the 24th its Monday order day has passed.
    expect(replanOne(company(), { ...c, firm: false }, berlin('2026-11-24T09:00'))).toMatchObject({
      status: 'changed',
      plan: 'berlin express 2026-11-25 → 2026-11-26',
    });
  });

  it("a lane's transit 1 → 3 days, or the lane removed: standard (2 days) arrives the 26th", () => {
    const slower = company((raw) => {
      location(raw, 'berlin').lanes[1].transit_days = 3;
    });
    const c = committed(company(), pumps(30));
    expect(replanOne(slower, c)).toMatchObject({ status: 'changed', plan: 'berlin standard 2026-11-24 → 2026-11-26' });
    const gone = company((raw) => {
      location(raw, 'berlin').lanes.splice(1, 1);
    });
    const r = replanOne(gone, c);
    expect(r).toMatchObject({ status: 'changed', plan: 'berlin standard 2026-11-24 → 2026-11-26' });
    expect(r.reason).toBe('the express lane from berlin to DE is gone');
  });

  it('a holiday added on the ship day (24 November): ready the 25th, arrives the 26th', () => {
    const after = company((raw) => {
      raw.calendar.holidays.push('2026-11-24');
    });
    const r = replanOne(after, committed(company(), pumps(30)));
    expect(r).toMatchObject({ status: 'changed', plan: 'berlin express 2026-11-25 → 2026-11-26' });
    expect(r.reason).toBe('2026-11-24 is no longer a workday at berlin');
  });

  it('make-to-order capacity 4 → 1 a week: the second unit finishes the week after (23 December): broken', () => {
    const c = committed(company(), { kind: 'delivery', sku: 'PUMP-900', qty: 2, to: 'DE', by: '2026-12-22' });
    const after = company((raw) => {
      product(raw, 'PUMP-900').make_to_order.capacity_per_week = 1;
    });
    const r = replanOne(after, c);
    expect(r.status).toBe('broken');
    expect(r.reason).toBe('berlin can build only 1 more PUMP-900 in the week of 2026-12-14, 2 needed');
  });

  it('replenishment lead 5 → 15 workdays: 200 bought in for the 11th arrive the 15th: broken', () => {
    const bought = (lead: number) =>
      company((raw) => {
        product(raw, 'PUMP-100').replenishment = { location: 'berlin', lead_days: lead };
      });
    const c = committed(bought(5), pumps(200, { by: '2026-12-11' }));
    expect(replanOne(bought(5), c).plan).toBe('berlin express 2026-11-30 → 2026-12-01');
    const r = replanOne(bought(15), c);
    expect(r.status).toBe('broken');
    expect(r.reason).toBe('berlin is now ready to ship on 2026-12-14, after the planned 2026-11-30');
  });

  it("customer receiving days: ACME takes deliveries on Fridays only now: the 25th's delivery moves to the 27th", () => {
    const receiving = (days: string[]) =>
      company((raw) => {
        raw.customers = [{ id: 'ACME', receiving_days: days }];
      });
    const c = committed(receiving(['mon', 'tue', 'wed', 'thu', 'fri']), pumps(30, { customer: 'ACME' }));
    const r = replanOne(receiving(['fri']), c);
    expect(r).toMatchObject({ status: 'changed', later: true });
    expect(r.plan).toMatch(/→ 2026-11-27$/);
    expect(r.reason).toBe('shipped 2026-11-24 by express it now arrives 2026-11-27, not 2026-11-25');
  });

  it("protected stock: 100 of berlin's 120 kept for key accounts: the 30 for anyone else come from rotterdam", () => {
    const after = company((raw) => {
      product(raw, 'PUMP-100').stock.berlin.protected = { qty: 100, for: ['key'] };
    });
    const r = replanOne(after, committed(company(), pumps(30)));
    expect(r).toMatchObject({ status: 'changed', plan: 'rotterdam standard 2026-11-25 → 2026-11-27' });
    expect(r.reason).toBe('berlin has only 20 PUMP-100 available to promise on 2026-11-24, 30 needed');
  });
});

describe('priority order', () => {
  const dropTo = (n: number) =>
    company((raw) => {
      product(raw, 'PUMP-100').stock.berlin.on_hand = n;
      raw.customers = [{ id: 'key', priority: 1 }, { id: 'other' }];
    });

  it('a firm commitment keeps berlin before an earlier held quote; the quote moves to rotterdam', () => {
    const quote = committed(company(), pumps(30), 1, { firm: false });
    const firm = committed(company(), pumps(30), 2, { before: Ledger.of(quote.holds) });
    const { results } = replanAll(dropTo(30), [quote, firm], NOW);
    expect(results.map((r) => [r.id, r.status, (r.parts[0]!.now as { from: string }).from])).toEqual([
      [2, 'holds', 'berlin'],
      [1, 'changed', 'rotterdam'],
    ]);
  });

  it('a customer with a lower priority number keeps its stock first; absent is last; then the earlier commit', () => {
    const other = committed(company(), pumps(30, { customer: 'other' }), 1);
    const none = committed(company(), pumps(30), 2, { before: Ledger.of(other.holds) });
    const key = committed(company(), pumps(30, { customer: 'key' }), 3, { before: Ledger.of([...other.holds, ...none.holds]) });
    const { results } = replanAll(dropTo(30), [other, none, key], NOW);
    expect(results.map((r) => [r.id, r.status, (r.parts[0]!.now as { from: string } | null)?.from ?? null])).toEqual([
      [3, 'holds', 'berlin'],
      [1, 'changed', 'rotterdam'],
      [2, 'broken', null], // 10 left at rotterdam, berlin's next 200 come on 14 December
    ]);
    // Broken, it keeps what it held until the rep releases it or commits an alternative.
    expect(results[2]!.holds).toEqual(none.holds);
  });
});

describe("a check's ledger: never the same units twice", () => {
  it('berlin dropped to 0 under 30 committed: the commitment needs 30 of rotterdam, a check of 20 gets only 10 there', () => {
    const c = committed(company(), pumps(30));
    const after = company((raw) => {
      product(raw, 'PUMP-100').stock.berlin.on_hand = 0;
    });
    expect([...overdrawnSkus(after, c.holds)]).toEqual(['PUMP-100']);
    const ledger = ledgerFor(after, c.holds, [c], NOW);
    expect(ledger.stockDemand('rotterdam', 'PUMP-100')).toEqual([{ day: c.holds[0]!.day + 1, qty: 30 }]);
    expect(check(after, pumps(20), ledger, NOW).verdict).toBe('infeasible');
    // As today's code did: the holds as recorded leave rotterdam's 40 free.
    expect(check(after, pumps(20), Ledger.of(c.holds), NOW).verdict).toBe('feasible');
  });

  it('holds within supply: nothing is overdrawn and nothing is re-planned', () => {
    const c = committed(company(), pumps(30));
    expect(overdrawnSkus(company(), c.holds).size).toBe(0);
  });
});
