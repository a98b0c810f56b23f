// Each site on its own clock and calendar (COMMITMENTS.md), hand-worked on a
// Munich + Toronto company (fixtures/companies/munichtoronto.yaml). In autumn
// and winter Toronto is 6 hours behind Berlin.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/core/checkPromise.js';
import { Ledger } from '../../../src/core/commitments/ledger.js';
import { replanAll } from '../../../src/core/commitments/replan.js';
import { compileAll } from '../../../src/core/model.js';
import type { DeliveryPromise } from '../../../src/core/promise.js';
import { parseIsoDay } from '../../../src/core/time/days.js';
import { company } from '../../helpers/company.js';
import { capabilities } from '../../helpers/model.js';

const day = (iso: string) => parseIsoDay(iso)!;
const widget = (p: Partial<DeliveryPromise>): DeliveryPromise => ({ kind: 'delivery', sku: 'WIDGET', qty: 10, to: 'CA', by: '2026-12-31', ...p });
const at = (nowText: string, p: Partial<DeliveryPromise>) => {
  const { model, now } = company('munichtoronto', nowText);
  return check(model, widget(p), new Ledger(), now);
};

describe('a location on its own clock', () => {
  it("Toronto's cut-off is Toronto time: 19:30 in Berlin is 13:30 in Toronto, before its 14:00 cut-off", () => {
    // Mon 23 Nov 2026 19:30 Berlin = 13:30 Toronto: order day Mon 23, ships Mon 23, truck 1 → Tue 24.
    const r = at('2026-11-23T19:30', { from: 'toronto' });
    expect(r.plan).toMatchObject({ from: 'toronto', order_date: '2026-11-23', ship_date: '2026-11-23', delivery_date: '2026-11-24' });
    expect(r.reasons.find((x) => x.rule === 'calendar')?.message).toBe(
      'order day 2026-11-23 (toronto cut-off 14:00 America/Toronto), ships 2026-11-23 by truck, arrives 2026-11-24',
    );
    // Munich, on Berlin's clock, is past its cut-off: order day Tue 24.
    expect(at('2026-11-23T19:30', { from: 'munich', to: 'DE' }).plan).toMatchObject({ order_date: '2026-11-24', delivery_date: '2026-11-25' });
  });

  it('a Friday evening in Berlin is Friday afternoon in Toronto: Toronto still ships that Friday', () => {
    // Fri 20 Nov 19:00 Berlin = 13:00 Toronto: order day Fri 20, truck 1 → Mon 23. Berlin's clock would say Mon 23 → Tue 24.
    expect(at('2026-11-20T19:00', { from: 'toronto' }).plan).toMatchObject({ order_date: '2026-11-20', delivery_date: '2026-11-23' });
    // Mon 23 Nov 05:00 Berlin = Sun 22 23:00 Toronto: Toronto's Sunday → its next workday, Mon 23.
    expect(at('2026-11-23T05:00', { from: 'toronto' }).plan).toMatchObject({ order_date: '2026-11-23' });
  });
});

describe('a location on its own calendar', () => {
  it("Ontario's Thanksgiving (Mon 12 Oct 2026) closes Toronto, not Munich: transit counts the shipping site's workdays", () => {
    // Fri 9 Oct 10:00 Berlin (04:00 Toronto): both ship Fri 9, truck 1 workday.
    // Munich: Mon 12 is a workday in Bavaria → arrives Mon 12. Toronto: Mon 12 closed → Tue 13.
    expect(at('2026-10-09T10:00', { from: 'munich' }).plan).toMatchObject({ ship_date: '2026-10-09', delivery_date: '2026-10-12' });
    expect(at('2026-10-09T10:00', { from: 'toronto' }).plan).toMatchObject({ ship_date: '2026-10-09', delivery_date: '2026-10-13' });
    // Unpinned, Munich is the earlier: it wins.
    expect(at('2026-10-09T10:00', {}).plan).toMatchObject({ from: 'munich', delivery_date: '2026-10-12' });
  });

  it("Bavaria's Epiphany (Wed 6 Jan 2027) closes Munich, not Toronto", () => {
    // Tue 5 Jan 10:00 Berlin (04:00 Toronto): both ship Tue 5. Toronto → Wed 6; Munich: Wed 6 closed → Thu 7.
    const by = '2027-01-29';
    expect(at('2027-01-05T10:00', { from: 'toronto', by }).plan).toMatchObject({ ship_date: '2027-01-05', delivery_date: '2027-01-06' });
    expect(at('2027-01-05T10:00', { from: 'munich', by }).plan).toMatchObject({ ship_date: '2027-01-05', delivery_date: '2027-01-07' });
  });

  it("spare days are read in the shipping site's calendar", () => {
    // Toronto: Thu 8 Oct 10:00 Berlin, ships Thu 8, arrives Fri 9; by Tue 13: Mon 12 is Thanksgiving → 1 spare (Tue 13).
    // Munich, same dates: Mon 12 and Tue 13 → 2 spare.
    expect(at('2026-10-08T10:00', { from: 'toronto', by: '2026-10-13' }).plan).toMatchObject({ delivery_date: '2026-10-09', spare_days: 1 });
    expect(at('2026-10-08T10:00', { from: 'munich', by: '2026-10-13' }).plan).toMatchObject({ delivery_date: '2026-10-09', spare_days: 2 });
  });

  it('each field given replaces the company’s, each left out is the company’s', () => {
    const caps = capabilities((raw) => {
      Object.assign(raw.calendar, { holidays: ['2026-12-24', '2026-12-25'] });
      raw.locations.push(
        { id: 'sat', cutoff: '14:00', calendar: { workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] }, lanes: [] },
        { id: 'own', cutoff: '14:00', calendar: { holidays: ['2026-12-31'] }, lanes: [] },
      );
    });
    const m = compileAll(caps);
    const [sat, own] = [m.locations.get('sat')!.calendar, m.locations.get('own')!.calendar];
    // `sat` works Saturdays and keeps the company's holidays.
    expect([sat.isWorkday(day('2026-12-26')), sat.isWorkday(day('2026-12-25'))]).toEqual([true, false]);
    // `own` keeps the company's workdays and has only its own holidays.
    expect([own.isWorkday(day('2026-12-25')), own.isWorkday(day('2026-12-31')), own.isWorkday(day('2026-12-26'))]).toEqual([true, false, false]);
    expect(m.calendar.isWorkday(day('2026-12-26'))).toBe(false);
  });
});

describe('recheck reads each site on its own clock and calendar', () => {
  it("a Toronto order placed Friday 13:00 Toronto time still holds its Friday order day (Berlin's 19:00 is past the cut-off)", () => {
    // Fri 20 Nov 19:00 Berlin = 13:00 Toronto: order Fri 20, ships Fri 20, truck 1 → Mon 23. Re-planned at Sat 21
    // 03:00 Berlin = Fri 20 21:00 Toronto: the ship day is Toronto's today (not overdue), and the order was placed
    // (firm) on Toronto's Friday before its cut-off, so nothing changed.
    const { model, now } = company('munichtoronto', '2026-11-20T19:00');
    const outcome = check(model, widget({ from: 'toronto' }), new Ledger(), now);
    expect(outcome.plan).toMatchObject({ order_date: '2026-11-20', ship_date: '2026-11-20', delivery_date: '2026-11-23' });
    const c = { id: 1, outcome, alternative: null, firm: true, checkedAt: now, holds: outcome.holds, parts: null };
    const later = company('munichtoronto', '2026-11-21T03:00').now;
    expect(replanAll(model, [c], later).results[0]).toMatchObject({ status: 'holds', reason: null, moved: false });
  });

  it("a held Toronto plan over Canadian Thanksgiving is not moved by Munich's calendar", () => {
    // Fri 9 Oct 10:00 Berlin: Toronto ships Fri 9, arrives Tue 13 (Mon 12 closed in Ontario). Re-planned an hour later: holds.
    const { model, now } = company('munichtoronto', '2026-10-09T10:00');
    const outcome = check(model, widget({ from: 'toronto', by: '2026-10-16' }), new Ledger(), now);
    expect(outcome.plan).toMatchObject({ delivery_date: '2026-10-13', spare_days: 3 }); // Wed 14, Thu 15, Fri 16
    const c = { id: 1, outcome, alternative: null, firm: true, checkedAt: now, holds: outcome.holds, parts: null };
    expect(replanAll(model, [c], company('munichtoronto', '2026-10-09T11:00').now).results[0]).toMatchObject({ status: 'holds', reason: null, moved: false });
  });
});
